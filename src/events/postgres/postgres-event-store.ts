import { Pool, PoolClient } from 'pg';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../common/clock';
import { ChainHead, eventChainHasher } from '../event-chain';
import {
  AdoptOptions,
  AppendOptions,
  AppendResult,
  AppendableEvent,
  ChainReport,
  EventStore,
  ExpectedRevision,
  LogQuery,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  VerifyChainOptions,
} from '../event-store';
import { HeadMovedError, LogNotEmptyError } from '../event-store.errors';
import { EventRowReader } from '../sqlite/event-row';
import { stageHistory } from '../sqlite/stage-history';
import { WriteGate } from '../write-gate';
import { adoptStaged } from './postgres-adopt';
import { AppendSignals } from './postgres-append-signals';
import { PgAppend, replayedAppend } from './postgres-append';
import { pgChainHeadAt, removeUpToIn, verifyPgChain } from './postgres-chain';
import { HorizonLag, horizonLag } from './postgres-horizon';
import { PAGE_ROWS, PgLogReads, pgTypes } from './postgres-reads';
import { PgLogSql } from './postgres-sql';

export interface PostgresEventStoreOptions {
  /** A postgres:// connection string. */
  url: string;
  /** The schema that holds the log (default `globe_vault`); created when missing. */
  schema?: string;
  /** Pooled connections of this process (default 4). */
  poolSize?: number;
  /** Longest wait for the log's lock (default 120 s) and longest statement once it is held (default 60 s). */
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Every pooled session ends a transaction left idle this long (default 60 s): no forgotten transaction holds the read horizon. */
  idleInTransactionTimeoutMs?: number;
}

/**
 * The event store in PostgreSQL, for several processes on one database. Appends are serialized by
 * the log's advisory lock and readers see the log up to the transaction horizon: both, and what
 * each guarantees, are explained in postgres-horizon.ts. Positions are gapless: assigned head+1…
 * under the lock, rolled back with the append that took them. Within this process a read after an
 * append sees it (the read waits, bounded, for the horizon to pass it: postgres-append-signals.ts); another
 * process sees it once the horizon passes.
 * The schema is migrated before the first use (`migrate`, once); `PostgresEventStore.open` does it
 * up front, so a bad URL or schema fails at start-up.
 */
export class PostgresEventStore extends EventStore {
  private readonly pool: Pool;
  private readonly sql: PgLogSql;
  private readonly reads: PgLogReads;
  private readonly signals: AppendSignals;
  private readonly chainHash = eventChainHasher().hash;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private migrated: Promise<void> | null = null;

  static async open(options: PostgresEventStoreOptions, clock: Clock, gate?: WriteGate): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options, clock, gate);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  constructor(
    private readonly options: PostgresEventStoreOptions,
    private readonly clock: Clock,
    private readonly gate?: WriteGate,
  ) {
    super();
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 4,
      types: pgTypes,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
    });
    // A pooled connection the server ended (a restart, a timeout) is dropped by the pool; never an unhandled error.
    this.pool.on('error', () => undefined);
    this.sql = new PgLogSql(options.schema ?? 'globe_vault', { lockMs: options.lockTimeoutMs ?? 120_000, statementMs: options.statementTimeoutMs ?? 60_000 });
    this.reads = new PgLogReads(this.pool, this.sql.schema);
    this.signals = new AppendSignals(options.url, this.sql.channel);
  }

  /** Creates the schema's tables if missing and opens a new epoch after a restore (postgres-sql.ts); once per store. */
  migrate(): Promise<void> {
    this.migrated ??= (async () => {
      const client = await this.pool.connect();
      try {
        await this.sql.migrate(client);
      } finally {
        client.release();
      }
    })();
    return this.migrated;
  }

  append(stream: string, events: Iterable<AppendableEvent>, expectedRevision: ExpectedRevision = 'any', options: AppendOptions = {}): Promise<AppendResult> {
    return this.exclusive(async () => {
      this.gate?.check();
      await this.migrate();
      const outcome = await this.inTransaction((client) => new PgAppend(this.sql, events).run(client, stream, expectedRevision, options, () => this.clock.now()));
      if ('replay' in outcome) return replayedAppend(this.pool, this.sql.schema, stream, outcome.replay);
      if (outcome.result.lastPosition > 0) this.committed(outcome.xid, outcome.result.lastPosition);
      return outcome.result;
    });
  }

  async *readStream(stream: string, options: { fromRevision?: number } = {}): AsyncIterable<RecordedEvent> {
    await this.migrate();
    const reader = new EventRowReader();
    let from = options.fromRevision ?? 0;
    for (;;) {
      const rows = await this.reads.streamPage(stream, from);
      for (const row of rows) yield reader.read(row);
      if (rows.length < PAGE_ROWS) return;
      from = rows[rows.length - 1].revision + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    await this.migrate();
    await this.seeOwnWrites();
    const reader = new EventRowReader();
    let from = options.fromPosition ?? 1;
    let to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    if (options.toTime !== undefined) to = Math.min(to, await this.positionAt(options.toTime));
    let left = options.limit ?? Number.MAX_SAFE_INTEGER;
    while (left > 0) {
      const rows = await this.reads.page(from, to, Math.min(PAGE_ROWS, left));
      for (const row of rows) yield reader.read(row);
      if (rows.length === 0) return;
      left -= rows.length;
      from = rows[rows.length - 1].position + 1;
    }
  }

  /**
   * Pages of visible rows after the last one delivered: the cursor is a position, and the visible
   * rows are a prefix of the log that only grows at its end (postgres-horizon.ts), so nothing is
   * skipped or repeated. Woken by NOTIFY (any process's append) or by polling (postgres-append-signals.ts).
   */
  async *subscribe(fromPosition: number, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    await this.migrate();
    const reader = new EventRowReader();
    const batchSize = options.batchSize ?? PAGE_ROWS;
    let from = Math.max(1, fromPosition);
    while (!options.signal?.aborted && !this.closed) {
      const rows = await this.reads.page(from, Number.MAX_SAFE_INTEGER, batchSize);
      if (rows.length > 0) {
        from = rows[rows.length - 1].position + 1;
        yield rows.map((row) => reader.read(row));
        continue;
      }
      await this.signals.waitFor(from, options.signal);
    }
  }

  async query(q: LogQuery): Promise<RecordedEvent[]> {
    await this.migrate();
    await this.seeOwnWrites();
    const reader = new EventRowReader();
    return (await this.reads.query(q)).map((row) => reader.read(row));
  }

  async adoptHistory(events: AsyncIterable<RecordedEvent>, options: AdoptOptions = {}): Promise<number> {
    await this.migrate();
    const head = await this.writeHead();
    const after = options.after ?? 0;
    if (head !== after) throw after === 0 ? new LogNotEmptyError(head) : new HeadMovedError(after, head);
    const stagingPath = join(tmpdir(), `gv-pg-adopting-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`);
    try {
      await stageHistory(stagingPath, events, after + 1);
      return await this.adoptStagedHistory(stagingPath, options);
    } finally {
      rmSync(stagingPath, { force: true });
    }
  }

  adoptStagedHistory(stagingPath: string, options: AdoptOptions = {}): Promise<number> {
    const chainHead = () => (typeof options.chainHead === 'function' ? options.chainHead() : (options.chainHead ?? null));
    return this.exclusive(async () => {
      await this.migrate();
      const { adopted, xid } = await this.inTransaction((client) => adoptStaged(this.sql, client, stagingPath, options.after ?? 0, chainHead));
      if (adopted > 0) this.committed(xid, (options.after ?? 0) + adopted);
      return adopted;
    });
  }

  async firstPosition(): Promise<number> {
    await this.migrate();
    return this.reads.scalar(`SELECT COALESCE(min(position), 0) AS v FROM ${this.sql.schema}.events`);
  }

  removeUpTo(position: number): Promise<number> {
    return this.exclusive(async () => {
      this.gate?.check();
      await this.migrate();
      return this.inTransaction((client) => removeUpToIn(this.sql, client, position));
    });
  }

  async chainHeadAt(position: number): Promise<ChainHead | null> {
    await this.migrate();
    return pgChainHeadAt(this.pool, this.sql.schema, position);
  }

  async verifyChain(options?: VerifyChainOptions): Promise<ChainReport> {
    await this.migrate();
    return verifyPgChain(this.pool, this.sql.schema, this.chainHash, options);
  }

  /** The last position readers see (the horizon's view, postgres-horizon.ts). */
  async headPosition(): Promise<number> {
    await this.migrate();
    await this.seeOwnWrites();
    return this.reads.visibleHead();
  }

  async positionAt(time: Date | string): Promise<number> {
    await this.migrate();
    await this.seeOwnWrites();
    return this.reads.positionAt(typeof time === 'string' ? Date.parse(time) : time.getTime());
  }

  async streamRevision(stream: string): Promise<number> {
    await this.migrate();
    return this.reads.scalar(`SELECT COALESCE(max(revision), -1) AS v FROM ${this.sql.schema}.events WHERE stream = $1`, [stream]);
  }

  /** How far the read horizon lags the log, for health (postgres-horizon.ts). */
  async horizonLag(): Promise<HorizonLag> {
    await this.migrate();
    return horizonLag(this.pool, this.sql.schema);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeQueue;
    await this.signals.close();
    await this.pool.end();
  }

  /** The committed head, as the write side knows it (no horizon). */
  private async writeHead(): Promise<number> {
    return this.reads.scalar(`SELECT position AS v FROM ${this.sql.schema}.head`);
  }

  private committed(xid: bigint, lastPosition: number): void {
    this.signals.committed(xid, lastPosition);
  }

  private seeOwnWrites(): Promise<void> {
    return this.signals.seeOwnWrites(this.pool);
  }

  /** One connection, one transaction that `work` opens and ends; rolled back if it throws. */
  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Appends of this process go one at a time (they would wait for each other on the lock anyway, each holding a connection). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(work, work);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }
}
