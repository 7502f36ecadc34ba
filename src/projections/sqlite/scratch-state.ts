import { LiveChanges } from '../../domain/restore-plan';
import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { GlobeEvent } from '../../domain/events';
import { RestoreCounts, RestoreScope } from '../../domain/restore';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { LiveComparison, Resolution, StateCounts, StateDiff, TargetState } from '../target-state';
import { TouchedIds } from '../touched-ids';
import { compensatingEvents } from './compensating-events';
import { hashState, stateCounts } from './database-state';
import { DiffDomain } from './diff-sql';
import { rawConnection } from './read-model-db';
import { sortTouched } from './sort-touched';
import { registerSqlFunctions } from './sql-functions';
import { diffStates, withLiveAttached } from './state-diff';

/**
 * A SQLite file holding the live read models, for one comparison: the live file itself when the
 * read models are in SQLite, a copy exported for the comparison when they are elsewhere. The path
 * is valid, and the state it holds fixed (one moment between two applies), until `fn` settles.
 */
export interface LiveStateFile {
  use<R>(fn: (path: string) => Promise<R>): Promise<R>;
}

/**
 * The state at one log position, as read-model tables in a scratch SQLite file (never the live
 * one). Disk, not memory, holds it: a million locations cost a file, not a heap. It answers the
 * same TypeORM queries as the live read models, and compares itself with them in SQL, the live
 * file ATTACHed as `live` for the length of one comparison.
 */
export class ScratchState implements TargetState {
  /** Touched ids sorted against the live state, by the live position they were sorted at. */
  private readonly domains = new Map<number, DiffDomain>();

  private constructor(
    readonly path: string,
    private readonly live: LiveStateFile,
    readonly dataSource: DataSource,
    readonly position: number,
    readonly snapshotPosition: number,
    readonly replayed: number,
  ) {}

  static async open(path: string, live: LiveStateFile, position: number, snapshotPosition: number, replayed: number): Promise<ScratchState> {
    const dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: path,
      entities: READ_MODEL_ENTITIES,
      synchronize: false,
      prepareDatabase: registerSqlFunctions,
    }).initialize();
    return new ScratchState(path, live, dataSource, position, snapshotPosition, replayed);
  }

  private get db(): Database.Database {
    return rawConnection(this.dataSource);
  }

  async counts(): Promise<StateCounts> {
    return stateCounts(this.db);
  }

  async hash(): Promise<string> {
    return hashState(this.db);
  }

  /** One read transaction over both files: the live checkpoint and every count come from the same moment. */
  diffWithLive(scope: RestoreScope, base: number, touched: TouchedIds | null, changes: LiveChanges): Promise<{ diff: StateDiff; basePosition: number }> {
    return this.live.use((livePath) =>
      withLiveAttached(this.db, livePath, () =>
        this.db.transaction(() => {
          const basePosition = this.liveCheckpoint();
          const domain = basePosition === base && touched ? this.domainFor(base, touched) : null;
          return { diff: diffStates(this.db, scope, domain, changes), basePosition };
        })(),
      ),
    );
  }

  withLive<R>(fn: (live: LiveComparison) => Promise<R>): Promise<R> {
    return this.live.use((livePath) => withLiveAttached(this.db, livePath, () => {
      const position = this.liveCheckpoint();
      const db = this.db;
      return fn({
        position,
        compensatingEvents: (scope: RestoreScope, resolution: Resolution, counts: RestoreCounts, touched: TouchedIds | null): Iterable<GlobeEvent> =>
          compensatingEvents(db, scope, resolution, counts, touched && this.domainFor(position, touched)),
      });
    }));
  }

  /**
   * The diff domain against the live state at `base`: sorted once, then reused while the state is
   * open, so a restore reuses its preview's. Sound as long as the live state at a position is always
   * the same state (it is a fold of the log up to it; a rebuild closes the states).
   */
  private domainFor(base: number, touched: TouchedIds): DiffDomain {
    let domain = this.domains.get(base);
    if (!domain) this.domains.set(base, (domain = sortTouched(this.db, touched)));
    return domain;
  }

  private liveCheckpoint(): number {
    const row = this.db.prepare("SELECT position FROM live.projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined;
    return row?.position ?? 0;
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await rm(this.path, { force: true });
    await rm(`${this.path}-journal`, { force: true });
  }
}
