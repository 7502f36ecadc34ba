import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from '../projections/entities/read-model-entities';
import { rawConnection } from '../projections/read-model-db';
import { registerSqlFunctions } from '../projections/sql-functions';

/**
 * The state at one log position, as read-model tables in a scratch SQLite file (never the live
 * one). Disk, not memory, holds it: a million locations cost a file, not a heap. It answers the
 * same TypeORM queries as the live read models, and restores diff against it in SQL.
 */
export class ScratchState {
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

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await rm(this.path, { force: true });
    await rm(`${this.path}-journal`, { force: true });
  }
}
