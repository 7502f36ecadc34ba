import Database from 'better-sqlite3';
import { Subject } from 'rxjs';
import { rmSync } from 'node:fs';
import { Clock } from '../../common/clock';
import { AppendOptions, AppendResult, AppendableEvent, EventStore, ExpectedRevision, LogQuery, ReadAllOptions, RecordedEvent, SubscribeOptions } from '../event-store';
import { DuplicateEventIdError, HeadMovedError, LogNotEmptyError, WrongExpectedRevisionError } from '../event-store.errors';
import { NewEventSerializer } from '../serialize-new-event';
import { EVENT_COLUMNS, EventRow, EventRowReader } from './event-row';
import { EVENTS_PRAGMAS, EVENTS_SCHEMA } from './events-schema.sql';
import { logQueryWhere } from './log-query-sql';
import { waitForAppend } from './wait-for-append';
import { AppendEventIds } from './append-event-ids';
import { stageHistory } from './stage-history';

const PAGE_SIZE = 1000;
/**
 * A page also stops growing once its events' data reaches this many characters: a page of 1,000
 * import events is a whole million-row import (~230 MB of JSON), which must never be parsed at once.
 */
const PAGE_CHARS = 4 * 1024 * 1024;
/** How often a waiting subscription looks for events appended by another process on the same file. */
const POLL_MS = 250;

/**
 * The embedded event store: one SQLite file, written through better-sqlite3 (chosen by measurement,
 * see BENCHMARKS.md). better-sqlite3 is synchronous, so an append is one `BEGIN IMMEDIATE … COMMIT`
 * that no other code of this process can interleave with, and IMMEDIATE makes other processes on
 * the same file wait for it: appends are serialized, which is what keeps positions gap-free and
 * `recordedAt` monotonic.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly appended = new Subject<number>();
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;
  private readonly appendInTransaction: Database.Transaction<
    (stream: string, events: Iterable<AppendableEvent>, expected: ExpectedRevision, options: AppendOptions) => AppendResult
  >;

  constructor(
    file: string,
    private readonly clock: Clock,
  ) {
    super();
    this.db = new Database(file);
    for (const pragma of EVENTS_PRAGMAS) this.db.pragma(pragma);
    this.db.exec(EVENTS_SCHEMA);
    this.stmt = this.prepare();
    this.appendInTransaction = this.db.transaction((stream, events, expected, options) => this.appendRows(stream, events, expected, options));
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare(
        'INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      streamRevision: db.prepare<[string], { r: number | null }>('SELECT max(revision) AS r FROM events WHERE stream = ?'),
      lastRecordedAt: db.prepare<[], { t: number }>('SELECT recorded_at AS t FROM events ORDER BY position DESC LIMIT 1'),
      head: db.prepare<[], { p: number | null }>('SELECT max(position) AS p FROM events'),
      first: db.prepare<[], { p: number | null }>('SELECT min(position) AS p FROM events'),
      byEventId: db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`),
      page: db.prepare<[number, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?`,
      ),
      streamPage: db.prepare<[string, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      atOrAfter: db.prepare<[number], { p: number; t: number }>(
        'SELECT position AS p, recorded_at AS t FROM events WHERE position >= ? ORDER BY position LIMIT 1',
      ),
    };
  }

  async append(stream: string, events: Iterable<AppendableEvent>, expectedRevision: ExpectedRevision = 'any', options: AppendOptions = {}): Promise<AppendResult> {
    const result = this.appendInTransaction.immediate(stream, events, expectedRevision, options);
    if (result.lastPosition > 0) this.appended.next(result.lastPosition);
    return result;
  }

  /** Runs inside BEGIN IMMEDIATE: reads the revision and the last timestamp, then inserts, atomically. */
  private appendRows(stream: string, events: Iterable<AppendableEvent>, expected: ExpectedRevision, options: AppendOptions): AppendResult {
    if (options.expectedHead !== undefined) {
      const head = this.stmt.head.get()?.p ?? 0;
      if (head !== options.expectedHead) throw new HeadMovedError(options.expectedHead, head);
    }
    const serializer = new NewEventSerializer();
    const ids = new AppendEventIds();
    let revision = this.stmt.streamRevision.get(stream)?.r ?? -1;
    const recordedAt = Math.max(this.clock.now(), this.stmt.lastRecordedAt.get()?.t ?? 0);
    let first = 0;
    let last = 0;
    let checked = false;
    for (const event of events) {
      if (!checked) {
        checked = true;
        const replay = event.eventId ? this.stmt.byEventId.get(event.eventId) : undefined;
        if (replay) return this.idempotentResult(stream, replay, events);
        checkExpectedRevision(stream, expected, revision);
      }
      const s = serializer.serialize(event);
      revision += 1;
      const position = Number(
        this.insertOne(s.eventId ?? ids.next(), stream, revision, s.type, s.schemaVersion, s.data, s.metadata, recordedAt).lastInsertRowid,
      );
      if (first === 0) first = position;
      last = position;
    }
    if (!checked) checkExpectedRevision(stream, expected, revision);
    return { firstPosition: first, lastPosition: last, nextExpectedRevision: revision, recordedAt: new Date(recordedAt).toISOString() };
  }

  private insertOne(...args: [string, string, number, string, number, string, string, number]) {
    try {
      return this.stmt.insert.run(...args);
    } catch (error) {
      // Matched by the driver's code, not instanceof: the error may come from another realm (jest's VM).
      const { code, message } = error as { code?: string; message?: string };
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.event_id/.test(message ?? '')) throw new DuplicateEventIdError(args[0]);
      throw error;
    }
  }

  /** A retried append: every event id must already be in the log, in order, in this stream. */
  private idempotentResult(stream: string, firstRow: EventRow, events: Iterable<AppendableEvent>): AppendResult {
    if (firstRow.stream !== stream) throw new DuplicateEventIdError(firstRow.event_id);
    let position = firstRow.position - 1;
    let lastRow = firstRow;
    for (const event of events) {
      position += 1;
      const row = event.eventId ? this.stmt.byEventId.get(event.eventId) : undefined;
      if (!row || row.position !== position || row.stream !== firstRow.stream) throw new DuplicateEventIdError(event.eventId ?? '(none)');
      lastRow = row;
    }
    return {
      firstPosition: firstRow.position,
      lastPosition: lastRow.position,
      nextExpectedRevision: lastRow.revision,
      recordedAt: new Date(lastRow.recorded_at).toISOString(),
    };
  }

  async *readStream(stream: string, options: { fromRevision?: number } = {}): AsyncIterable<RecordedEvent> {
    const reader = new EventRowReader();
    let from = options.fromRevision ?? 0;
    for (;;) {
      const rows = this.stmt.streamPage.all(stream, from, PAGE_SIZE);
      for (const row of rows) yield reader.read(row);
      if (rows.length < PAGE_SIZE) return;
      from = rows[rows.length - 1].revision + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const reader = new EventRowReader();
    let from = options.fromPosition ?? 1;
    let to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    if (options.toTime !== undefined) to = Math.min(to, await this.positionAt(options.toTime));
    let left = options.limit ?? Number.MAX_SAFE_INTEGER;
    while (left > 0) {
      const rows = this.pageOf(from, to, Math.min(PAGE_SIZE, left));
      for (const row of rows) yield reader.read(row);
      if (rows.length === 0) return;
      left -= rows.length;
      from = rows[rows.length - 1].position + 1;
    }
  }

  async *subscribe(fromPosition: number, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    const reader = new EventRowReader();
    const batchSize = options.batchSize ?? PAGE_SIZE;
    let from = Math.max(1, fromPosition);
    while (!options.signal?.aborted) {
      const rows = this.pageOf(from, Number.MAX_SAFE_INTEGER, batchSize);
      if (rows.length > 0) {
        from = rows[rows.length - 1].position + 1;
        yield rows.map((row) => reader.read(row));
        continue;
      }
      await waitForAppend(this.appended, from, POLL_MS, options.signal);
    }
  }

  async query(q: LogQuery): Promise<RecordedEvent[]> {
    const { where, params } = logQueryWhere(q);
    const order = q.direction === 'forward' ? 'ASC' : 'DESC';
    const rows = this.db
      .prepare<unknown[], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events ${where} ORDER BY position ${order} LIMIT ?`)
      .all(...params, q.limit);
    const reader = new EventRowReader();
    return rows.map((row) => reader.read(row));
  }

  async adoptHistory(events: AsyncIterable<RecordedEvent>): Promise<number> {
    const head = this.stmt.head.get()?.p ?? 0;
    if (head !== 0) throw new LogNotEmptyError(head);
    const stagingPath = `${this.db.name}.adopting-${process.pid}-${Date.now()}`;
    try {
      await stageHistory(stagingPath, events);
      const adopted = this.commitStaged(stagingPath);
      if (adopted > 0) this.appended.next(this.stmt.head.get()?.p ?? 0);
      return adopted;
    } finally {
      rmSync(stagingPath, { force: true });
    }
  }

  /** Copies a staged log in one transaction, re-checking inside it that the log is still empty. */
  private commitStaged(stagingPath: string): number {
    this.db.prepare('ATTACH DATABASE ? AS staging').run(stagingPath);
    try {
      const copy = this.db.transaction(() => {
        const head = this.stmt.head.get()?.p ?? 0;
        if (head !== 0) throw new LogNotEmptyError(head);
        return this.db.prepare(`INSERT INTO main.events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM staging.events ORDER BY position`).run().changes;
      });
      return copy.immediate();
    } finally {
      this.db.exec('DETACH DATABASE staging');
    }
  }

  async firstPosition(): Promise<number> {
    return this.stmt.first.get()?.p ?? 0;
  }

  async removeUpTo(position: number): Promise<number> {
    return this.db.transaction(() => this.db.prepare('DELETE FROM events WHERE position <= ?').run(position).changes).immediate();
  }

  /** Up to `limit` rows from `from`, fewer once their data reaches PAGE_CHARS (always at least one). */
  private pageOf(from: number, to: number, limit: number): EventRow[] {
    const rows: EventRow[] = [];
    let chars = 0;
    for (const row of this.stmt.page.iterate(from, to, limit)) {
      rows.push(row);
      chars += row.data.length;
      if (chars >= PAGE_CHARS) break; // leaving the loop resets the statement
    }
    return rows;
  }

  async headPosition(): Promise<number> {
    return this.stmt.head.get()?.p ?? 0;
  }

  /** Binary search over positions: `recordedAt` is monotonic along the position, so O(log n) lookups by rowid. */
  async positionAt(time: Date | string): Promise<number> {
    const t = typeof time === 'string' ? Date.parse(time) : time.getTime();
    let lo = this.stmt.first.get()?.p ?? 0;
    let hi = this.stmt.head.get()?.p ?? 0;
    const firstEvent = this.stmt.atOrAfter.get(lo);
    if (!firstEvent || firstEvent.t > t) return 0;
    // Invariant: the first event at or after lo has recorded_at ≤ t, and the answer is ≤ hi.
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      if ((this.stmt.atOrAfter.get(mid)?.t ?? Infinity) <= t) lo = mid;
      else hi = mid - 1;
    }
    return this.stmt.atOrAfter.get(lo)?.p ?? 0;
  }

  async streamRevision(stream: string): Promise<number> {
    return this.stmt.streamRevision.get(stream)?.r ?? -1;
  }

  async close(): Promise<void> {
    this.appended.complete();
    if (this.db.open) this.db.close();
  }
}

function checkExpectedRevision(stream: string, expected: ExpectedRevision, actual: number): void {
  if (expected === 'any') return;
  const want = expected === 'no_stream' ? -1 : expected;
  if (want !== actual) throw new WrongExpectedRevisionError(stream, expected, actual);
}
