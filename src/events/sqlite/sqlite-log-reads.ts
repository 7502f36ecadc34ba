import Database from 'better-sqlite3';
import { Subject } from 'rxjs';
import { LogQuery, ReadAllOptions, RecordedEvent, SubscribeOptions } from '../event-store';
import { EVENT_COLUMNS, EventRow, EventRowReader } from './event-row';
import { logQueryWhere } from './log-query-sql';
import { waitForAppend } from './wait-for-append';

const PAGE_SIZE = 1000;
/**
 * A page also stops growing once its events' data reaches this many characters: a page of 1,000
 * import events is a whole million-row import (~230 MB of JSON), which must never be parsed at once.
 */
const PAGE_CHARS = 4 * 1024 * 1024;
/** How often a waiting subscription looks for events appended by another process on the same file. */
const POLL_MS = 250;

/**
 * The reads of the embedded log, on the main thread's connection (WAL: each statement sees the last
 * commit): a stream, the whole log, a catch-up subscription, an audit page. Page by page, so memory
 * holds a page, never the log; a subscription wakes on this process's appends and polls for other
 * processes'.
 */
export class SqliteLogReads {
  private readonly page: Database.Statement<[number, number, number], EventRow>;
  private readonly streamPage: Database.Statement<[string, number, number], EventRow>;

  constructor(private readonly db: Database.Database) {
    this.page = db.prepare<[number, number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?`);
    this.streamPage = db.prepare<[string, number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`);
  }

  async *readStream(stream: string, options: { fromRevision?: number }): AsyncIterable<RecordedEvent> {
    const reader = new EventRowReader();
    let from = options.fromRevision ?? 0;
    for (;;) {
      const rows = this.streamPage.all(stream, from, PAGE_SIZE);
      for (const row of rows) yield reader.read(row);
      if (rows.length < PAGE_SIZE) return;
      from = rows[rows.length - 1].revision + 1;
    }
  }

  async *readAll(options: ReadAllOptions, positionAt: (time: Date | string) => Promise<number>): AsyncIterable<RecordedEvent> {
    const reader = new EventRowReader();
    let from = options.fromPosition ?? 1;
    let to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    if (options.toTime !== undefined) to = Math.min(to, await positionAt(options.toTime));
    let left = options.limit ?? Number.MAX_SAFE_INTEGER;
    while (left > 0) {
      const rows = this.pageOf(from, to, Math.min(PAGE_SIZE, left));
      for (const row of rows) yield reader.read(row);
      if (rows.length === 0) return;
      left -= rows.length;
      from = rows[rows.length - 1].position + 1;
    }
  }

  async *subscribe(fromPosition: number, options: SubscribeOptions, appended: Subject<number>): AsyncIterable<RecordedEvent[]> {
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
      await waitForAppend(appended, from, POLL_MS, options.signal);
    }
  }

  /** Up to `limit` rows from `from`, fewer once their data reaches PAGE_CHARS (always at least one). */
  pageOf(from: number, to: number, limit: number): EventRow[] {
    const rows: EventRow[] = [];
    let chars = 0;
    for (const row of this.page.iterate(from, to, limit)) {
      rows.push(row);
      chars += row.data.length;
      if (chars >= PAGE_CHARS) break; // leaving the loop resets the statement
    }
    return rows;
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
}
