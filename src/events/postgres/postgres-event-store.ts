import { Client, Pool } from 'pg';
import { Subject } from 'rxjs';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../common/clock';
import { StoredLink, walkChain } from '../chain-walk';
import { ChainHead, GENESIS_HASH, eventChainHasher } from '../event-chain';
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
import { DuplicateEventIdError, HeadMovedError, LogNotEmptyError } from '../event-store.errors';
import { chainedEvent } from '../sqlite/chain-rows';
import { EventRow, EventRowReader } from '../sqlite/event-row';
import { stageHistory } from '../sqlite/stage-history';
import { waitForAppend } from '../sqlite/wait-for-append';
import { WriteGate } from '../write-gate';
import { adoptStaged } from './postgres-adopt';
import { PgAppend } from './postgres-append';
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

/** How often a waiting subscription looks again when no notification came (another process's append, a horizon that moved). */
const POLL_MS = 100;
/** How long a read waits for the horizon to pass this process's own last append before it reads what it can see. */
const OWN_WRITES_WAIT_MS = 10_000;

/**
 * The event store in PostgreSQL, for several processes on one database. Appends are serialized by
 * the log's advisory lock and readers see the log up to the transaction horizon: both, and what
 * each guarantees, are explained in postgres-horizon.ts. Positions are gapless: assigned head+1…
 * under the lock, rolled back with the append that took them. Within this process a read after an
 * append sees it (the read waits, up to OWN_WRITES_WAIT_MS, for the horizon to pass it); another
 * process sees it once the horizon passes.
 * The schema is migrated before the first use (`migrate`, once); `PostgresEventStore.open` does it
 * up front, so a bad URL or schema fails at start-up.
 */
export class PostgresEventStore extends EventStore {
  private readonly pool: Pool;
  private readonly sql: PgLogSql;
  private readonly reads: PgLogReads;
  private readonly appended = new Subject<number>();
  private readonly chainHash = eventChainHasher().hash;
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** The id of this process's last append not yet known to be below the horizon. */
  private ownXid: bigint | null = null;
  private listener: Client | null = null;
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
      if ('replay' in outcome) return this.idempotentResult(stream, outcome.replay);
      if (outcome.result.lastPosition > 0) this.committed(outcome.xid, outcome.result.lastPosition);
      return outcome.result;
    });
  }

  /** A retried append: every event id must already be in the log, in order, at consecutive positions of this stream. */
  private async idempotentResult(stream: string, eventIds: Array<string | undefined>): Promise<AppendResult> {
    const { rows } = await this.pool.query<EventRow>(`SELECT position, event_id, stream, revision, recorded_at FROM ${this.sql.schema}.events WHERE event_id = ANY($1::text[])`, [
      eventIds.filter((id) => id !== undefined),
    ]);
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    const firstRow = byId.get(eventIds[0]!)!;
    if (firstRow.stream !== stream) throw new DuplicateEventIdError(firstRow.event_id);
    let lastRow = firstRow;
    eventIds.forEach((eventId, i) => {
      const row = eventId === undefined ? undefined : byId.get(eventId);
      if (!row || row.position !== firstRow.position + i || row.stream !== stream) throw new DuplicateEventIdError(eventId ?? '(none)');
      lastRow = row;
    });
    return { firstPosition: firstRow.position, lastPosition: lastRow.position, nextExpectedRevision: lastRow.revision, recordedAt: new Date(lastRow.recorded_at).toISOString() };
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
   * skipped or repeated. Woken by NOTIFY (any process's append) or every POLL_MS.
   */
  async *subscribe(fromPosition: number, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    await this.migrate();
    const reader = new EventRowReader();
    const batchSize = options.batchSize ?? PAGE_ROWS;
    let from = Math.max(1, fromPosition);
    await this.listen();
    while (!options.signal?.aborted && !this.closed) {
      const rows = await this.reads.page(from, Number.MAX_SAFE_INTEGER, batchSize);
      if (rows.length > 0) {
        from = rows[rows.length - 1].position + 1;
        yield rows.map((row) => reader.read(row));
        continue;
      }
      await waitForAppend(this.appended, from, POLL_MS, options.signal);
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

  /** Under the log's lock, in one transaction with the chain base it leaves (as the SQLite store). */
  removeUpTo(position: number): Promise<number> {
    return this.exclusive(async () => {
      this.gate?.check();
      await this.migrate();
      return this.inTransaction(async (client) => {
        const s = this.sql.schema;
        await client.query(this.sql.beginLocked);
        const at = (await client.query<{ hash: string }>(`SELECT hash FROM ${s}.events WHERE position = $1`, [position])).rows[0];
        const removed = (await client.query(`DELETE FROM ${s}.events WHERE position <= $1`, [position])).rowCount ?? 0;
        if (removed > 0 && at) {
          await client.query(`INSERT INTO ${s}.chain_base (id, position, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET position = $1, hash = $2`, [position, at.hash]);
        }
        await client.query('COMMIT');
        return removed;
      });
    });
  }

  async chainHeadAt(position: number): Promise<ChainHead | null> {
    await this.migrate();
    if (position === 0) return { position, hash: GENESIS_HASH };
    const s = this.sql.schema;
    const { rows } = await this.pool.query<{ hash: string }>(`SELECT hash FROM ${s}.events WHERE position = $1`, [position]);
    if (rows[0]) return { position, hash: rows[0].hash };
    const base = (await this.pool.query<ChainHead>(`SELECT position, hash FROM ${s}.chain_base WHERE id = 1`)).rows[0];
    return base?.position === position ? base : null;
  }

  /** Over every committed row (gapless under the lock), a page at a time. */
  async verifyChain(options?: VerifyChainOptions): Promise<ChainReport> {
    await this.migrate();
    const s = this.sql.schema;
    return walkChain(
      {
        bounds: async () => (await this.pool.query<{ first: number; head: number }>(`SELECT COALESCE(min(position), 0) AS first, COALESCE(max(position), 0) AS head FROM ${s}.events`)).rows[0],
        chainBase: async () => (await this.pool.query<ChainHead>(`SELECT position, hash FROM ${s}.chain_base WHERE id = 1`)).rows[0],
        page: async (after, head): Promise<StoredLink[]> => {
          const { rows } = await this.pool.query<EventRow & { hash: string }>(
            `SELECT position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash FROM ${s}.events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT 1000`,
            [after, head],
          );
          return rows.map((row) => ({ ...chainedEvent(row), hash: row.hash }));
        },
      },
      this.chainHash,
      options,
    );
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
    this.appended.complete();
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** The committed head, as the write side knows it (no horizon). */
  private async writeHead(): Promise<number> {
    return this.reads.scalar(`SELECT position AS v FROM ${this.sql.schema}.head`);
  }

  private committed(xid: bigint, lastPosition: number): void {
    this.ownXid = xid;
    this.appended.next(lastPosition);
  }

  /** Waits (bounded) until the horizon passes this process's last append: a read here sees its own writes. */
  private async seeOwnWrites(): Promise<void> {
    const until = Date.now() + OWN_WRITES_WAIT_MS;
    while (this.ownXid !== null) {
      const mine = this.ownXid;
      const horizon = BigInt((await this.pool.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x')).rows[0].x);
      if (horizon > mine || Date.now() > until) {
        if (this.ownXid === mine) this.ownXid = null;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** One connection, one transaction that `work` opens and ends; rolled back if it throws. */
  private async inTransaction<T>(work: (client: import('pg').PoolClient) => Promise<T>): Promise<T> {
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

  /** One connection per store LISTENs for appends of every process; polling covers its absence. */
  private async listen(): Promise<void> {
    if (this.listener || this.closed) return;
    const listener = new Client({ connectionString: this.options.url });
    this.listener = listener;
    listener.on('error', () => undefined);
    listener.on('notification', (n) => this.appended.next(Number(n.payload)));
    try {
      await listener.connect();
      await listener.query(`LISTEN ${this.sql.channel}`);
    } catch {
      // Subscriptions poll every POLL_MS without it.
    }
  }
}
