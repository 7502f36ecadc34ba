import Database from 'better-sqlite3';
import { Subject } from 'rxjs';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Clock } from '../../common/clock';
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
import { HeadMovedError, LogNotEmptyError } from '../event-store.errors';
import { NewEventSerializer } from '../serialize-new-event';
import { EVENT_COLUMNS, EventRow } from './event-row';
import { EVENTS_PRAGMAS, EVENTS_SCHEMA } from './events-schema.sql';
import { positionAtTime } from './position-at-time';
import { SqliteLogReads } from './sqlite-log-reads';
import { idempotentResult } from './idempotent-append';
import { AppendEventIds } from './append-event-ids';
import { stageHistory } from './stage-history';
import { LogWriter } from './log-writer';
import { RowBatch } from './row-batch';
import { writerFailureError } from './writer-failure-error';
import { WriteGate } from '../write-gate';
import { migrateChain } from './chain-migration';
import { CHAIN_BASE_SQL, ChainRow } from './chain-rows';
import { verifyChain } from './verify-chain';

const INSERT_SQL = `INSERT INTO events (${EVENT_COLUMNS}, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** Batches posted but not yet written: bounds the memory of a large append whose rows come faster than SQLite takes them. */
const MAX_IN_FLIGHT = 3;
/**
 * The longest an append works on this thread without letting other callbacks run. Awaiting a batch
 * the writer thread has already acknowledged does not yield to I/O, so an append whose events take
 * longer to make than to write (a restore's compensating events) would otherwise hold the API for
 * its whole length (3.6 s for a million locations).
 */
const YIELD_AFTER_MS = 50;

/**
 * The embedded event store: one SQLite file through better-sqlite3 (chosen by measurement, see
 * BENCHMARKS.md). Reads use this thread's connection; appends are written by a writer thread with
 * its own connection (log-writer-thread.ts), each one `BEGIN IMMEDIATE … COMMIT`, while this thread
 * validates and serializes the next rows. Writes of this process are queued one after another
 * (`exclusive`), and IMMEDIATE makes other processes on the same file wait: appends are serialized,
 * which is what keeps positions gap-free and `recordedAt` monotonic.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly appended = new Subject<number>();
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;
  private readonly reads: SqliteLogReads;
  private readonly writer: LogWriter;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private readonly chainHash = eventChainHasher().hash;
  /** Rows the start-up migration gave their chain hash (0 once a log has its chain). */
  readonly chainMigrated: number;

  constructor(
    file: string,
    private readonly clock: Clock,
    private readonly gate?: WriteGate,
  ) {
    super();
    this.db = new Database(file);
    for (const pragma of EVENTS_PRAGMAS) this.db.pragma(pragma);
    this.db.exec(EVENTS_SCHEMA);
    // Before anything appends: the writer chains to the last row's hash.
    this.chainMigrated = migrateChain(this.db, this.chainHash);
    this.stmt = this.prepare();
    this.reads = new SqliteLogReads(this.db);
    this.writer = new LogWriter({
      driver: require.resolve('better-sqlite3'),
      file,
      pragmas: EVENTS_PRAGMAS,
      insertSql: INSERT_SQL,
      eventColumns: EVENT_COLUMNS,
      chainHasherSource: eventChainHasher.toString(),
    });
  }

  private prepare() {
    const db = this.db;
    return {
      streamRevision: db.prepare<[string], { r: number | null }>('SELECT max(revision) AS r FROM events WHERE stream = ?'),
      lastRecordedAt: db.prepare<[], { t: number }>('SELECT recorded_at AS t FROM events ORDER BY position DESC LIMIT 1'),
      head: db.prepare<[], { p: number | null }>('SELECT max(position) AS p FROM events'),
      first: db.prepare<[], { p: number | null }>('SELECT min(position) AS p FROM events'),
      byEventId: db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`),
      hashAt: db.prepare<[number], { hash: string | null }>('SELECT hash FROM events WHERE position = ?'),
      chainBase: db.prepare<[], ChainRow>('SELECT position, hash FROM events_chain_base WHERE id = 1'),
      atOrAfter: db.prepare<[number], { p: number; t: number }>(
        'SELECT position AS p, recorded_at AS t FROM events WHERE position >= ? ORDER BY position LIMIT 1',
      ),
    };
  }

  append(stream: string, events: Iterable<AppendableEvent>, expectedRevision: ExpectedRevision = 'any', options: AppendOptions = {}): Promise<AppendResult> {
    return this.exclusive(async () => {
      this.gate?.check();
      const result = await this.appendThroughWriter(stream, events, expectedRevision, options);
      if (result.lastPosition > 0) this.appended.next(result.lastPosition);
      return result;
    });
  }

  /**
   * One transaction on the writer thread: `begin` (the thread checks the head, a retried first
   * event id and the expected revision, under BEGIN IMMEDIATE), the events validated and serialized
   * here batch by batch while the thread inserts the previous ones, then `commit`. Whatever goes
   * wrong on either side (an invalid event, a generator that throws, a refusal) rolls all of it back.
   */
  private async appendThroughWriter(stream: string, events: Iterable<AppendableEvent>, expected: ExpectedRevision, options: AppendOptions): Promise<AppendResult> {
    const iterator = events[Symbol.iterator]();
    let next = iterator.next();
    this.writer.post({
      op: 'begin',
      id: 0,
      stream,
      expected,
      expectedHead: options.expectedHead ?? null,
      firstEventId: next.done ? null : (next.value.eventId ?? null),
      now: this.clock.now(),
    });
    const generation = this.writer.generation;
    const serializer = new NewEventSerializer();
    const ids = new AppendEventIds();
    const givenIds: Array<string | undefined> = [];
    const inFlight: Array<Promise<unknown>> = [];
    let ranSince = performance.now();
    try {
      let batch = RowBatch.first();
      while (!next.done) {
        if (performance.now() - ranSince >= YIELD_AFTER_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          ranSince = performance.now();
        }
        const event = next.value;
        const s = serializer.serialize(event);
        givenIds.push(event.eventId);
        batch.add(s.eventId ?? ids.next(), s.type, s.schemaVersion, s.data, s.metadata);
        if (batch.full()) {
          await this.send(batch, inFlight);
          batch = batch.next();
        }
        next = iterator.next();
      }
      if (batch.size > 0) this.writer.post(batch.message(null));
      await Promise.all(inFlight);
      if (this.writer.generation !== generation) throw new Error('the log writer thread restarted during the append: none of it was written');
    } catch (error) {
      await this.writer.request({ op: 'rollback' }).catch(() => undefined);
      throw error;
    }
    const reply = await this.writer.request({ op: 'commit' });
    if (reply.ok) {
      const { firstPosition, lastPosition, nextExpectedRevision, recordedAt } = reply;
      return { firstPosition, lastPosition, nextExpectedRevision, recordedAt: new Date(recordedAt).toISOString() };
    }
    if (reply.failure.kind === 'replay') return idempotentResult(this.stmt.byEventId, stream, reply.failure.row, givenIds);
    throw writerFailureError(reply.failure);
  }

  /** Posts an acknowledged batch; keeps at most MAX_IN_FLIGHT unwritten, waiting (the event loop runs on) for the oldest. */
  private async send(batch: RowBatch, inFlight: Array<Promise<unknown>>): Promise<void> {
    const ack = this.writer.ack();
    this.writer.post(batch.message(ack.id));
    ack.answer.catch(() => undefined); // observed through inFlight; never an unhandled rejection if the append stops first
    inFlight.push(ack.answer);
    if (inFlight.length > MAX_IN_FLIGHT) await inFlight.shift();
  }

  /** Runs write work one piece at a time: an append yields to the event loop between its batches. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(work, work);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  readStream(stream: string, options: { fromRevision?: number } = {}): AsyncIterable<RecordedEvent> {
    return this.reads.readStream(stream, options);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return this.reads.readAll(options, (time) => this.positionAt(time));
  }

  subscribe(fromPosition: number, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    return this.reads.subscribe(fromPosition, options, this.appended);
  }

  override onAppended(listener: (head: number) => void): () => void {
    const subscription = this.appended.subscribe({ next: listener });
    return () => subscription.unsubscribe();
  }

  async query(q: LogQuery): Promise<RecordedEvent[]> {
    return this.reads.query(q);
  }

  async adoptHistory(events: AsyncIterable<RecordedEvent>, options: AdoptOptions = {}): Promise<number> {
    const head = this.stmt.head.get()?.p ?? 0;
    const after = options.after ?? 0;
    if (head !== after) throw after === 0 ? new LogNotEmptyError(head) : new HeadMovedError(after, head);
    const stagingPath = `${this.db.name}.adopting-${process.pid}-${Date.now()}`;
    try {
      await stageHistory(stagingPath, events, after + 1);
      return await this.adoptStagedHistory(stagingPath, options);
    } finally {
      rmSync(stagingPath, { force: true });
    }
  }

  async adoptStagedHistory(stagingPath: string, options: AdoptOptions = {}): Promise<number> {
    // Copied by the writer thread (its connection appends; the copy would hold this thread's loop).
    const chainHead = typeof options.chainHead === 'function' ? options.chainHead() : (options.chainHead ?? null);
    const reply = await this.exclusive(() => this.writer.request({ op: 'adopt', stagingPath, after: options.after ?? 0, chainHead }));
    if (!reply.ok) throw reply.failure.kind === 'replay' ? new Error('the log writer answered an adoption as a replay') : writerFailureError(reply.failure);
    const adopted = reply.adopted ?? 0;
    if (adopted > 0) this.appended.next(reply.lastPosition);
    return adopted;
  }

  async firstPosition(): Promise<number> {
    return this.stmt.first.get()?.p ?? 0;
  }

  /**
   * Like every write, after the appends already queued (this connection writes only between them).
   * The chain head at `position` is kept as the chain base in the same transaction: verification
   * of what remains starts from it.
   */
  removeUpTo(position: number): Promise<number> {
    return this.exclusive(async () => {
      this.gate?.check();
      return this.db
        .transaction(() => {
          const at = this.stmt.hashAt.get(position);
          const removed = this.db.prepare('DELETE FROM events WHERE position <= ?').run(position).changes;
          if (removed > 0 && at?.hash) this.db.prepare(CHAIN_BASE_SQL).run(position, at.hash);
          return removed;
        })
        .immediate();
    });
  }

  async chainHeadAt(position: number): Promise<ChainHead | null> {
    if (position === 0) return { position, hash: GENESIS_HASH };
    const hash = this.stmt.hashAt.get(position)?.hash;
    if (hash) return { position, hash };
    const base = this.stmt.chainBase.get();
    return base?.position === position ? base : null;
  }

  verifyChain(options?: VerifyChainOptions): Promise<ChainReport> {
    return verifyChain(this.db, this.chainHash, options);
  }

  async headPosition(): Promise<number> {
    return this.stmt.head.get()?.p ?? 0;
  }

  async positionAt(time: Date | string): Promise<number> {
    return positionAtTime(this.stmt, typeof time === 'string' ? Date.parse(time) : time.getTime());
  }

  async streamRevision(stream: string): Promise<number> {
    return this.stmt.streamRevision.get(stream)?.r ?? -1;
  }

  async close(): Promise<void> {
    await this.exclusive(() => this.writer.close());
    this.appended.complete();
    if (this.db.open) this.db.close();
  }
}
