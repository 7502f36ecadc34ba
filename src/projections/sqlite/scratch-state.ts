import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { rawConnection } from './read-model-db';
import { registerSqlFunctions } from './sql-functions';
import { TouchedIds } from '../touched-ids';
import { sortTouched } from './sort-touched';
import { DiffDomain } from './diff-sql';

/**
 * The state at one log position, as read-model tables in a scratch SQLite file (never the live
 * one). Disk, not memory, holds it: a million locations cost a file, not a heap. It answers the
 * same TypeORM queries as the live read models, and restores diff against it in SQL.
 */
export class ScratchState {
  /** Touched ids sorted against the live state, by the live position they were sorted at. */
  private readonly domains = new Map<number, DiffDomain>();

  private constructor(
    readonly path: string,
    readonly dataSource: DataSource,
    readonly position: number,
    readonly snapshotPosition: number,
    readonly replayed: number,
  ) {}

  static async open(path: string, position: number, snapshotPosition: number, replayed: number): Promise<ScratchState> {
    const dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: path,
      entities: READ_MODEL_ENTITIES,
      synchronize: false,
      prepareDatabase: registerSqlFunctions,
    }).initialize();
    return new ScratchState(path, dataSource, position, snapshotPosition, replayed);
  }

  get db(): Database.Database {
    return rawConnection(this.dataSource);
  }

  /**
   * The diff domain against the live state at `base` (attached as `live`): sorted once, then reused
   * while the state is open, so a restore reuses its preview's. Sound as long as the live state at a
   * position is always the same state (it is a fold of the log up to it; a rebuild closes the states).
   */
  domainFor(base: number, touched: TouchedIds): DiffDomain {
    let domain = this.domains.get(base);
    if (!domain) this.domains.set(base, (domain = sortTouched(this.db, touched)));
    return domain;
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await rm(this.path, { force: true });
    await rm(`${this.path}-journal`, { force: true });
  }
}
