import Database from 'better-sqlite3';
import { RecordedEvent } from '../event-store';
import { IncompleteHistoryError } from '../event-store.errors';
import { EVENT_COLUMNS, EventRow } from './event-row';
import { EVENTS_SCHEMA } from './events-schema.sql';

/** As the log's own pages (sqlite-event-store.ts, PAGE_CHARS). */
const STAGE_CHARS = 4 * 1024 * 1024;

/**
 * Writes a history, as it streams in, into a staging database of the log's own schema; the store
 * copies it in one transaction afterwards. Only a history that starts at position 1 and has no gap
 * can stand on its own (a compacted one cannot), or one that starts right after the head of the log
 * it continues: anything else is refused before it is committed.
 */
export async function stageHistory(path: string, events: AsyncIterable<RecordedEvent>, firstPosition = 1): Promise<void> {
  const stage = new HistoryStage(path, firstPosition);
  try {
    for await (const e of events) stage.add(e);
    stage.finish();
  } finally {
    stage.close();
  }
}

/**
 * stageHistory one event at a time, for a reader that reads the events for something else too (an
 * upload's verification stages the history a restore may adopt). `add` throws
 * EVENTS.INCOMPLETE_HISTORY for an event out of sequence; the file is complete only after `finish`.
 */
export class HistoryStage {
  private readonly db: Database.Database;
  private readonly insertMany: Database.Transaction<(rows: unknown[][]) => void>;
  private expected: number;
  private rows: unknown[][] = [];
  private chars = 0;

  /** `firstPosition`: where the history starts (1, or past a log's head it continues). */
  constructor(
    readonly path: string,
    firstPosition = 1,
  ) {
    this.expected = firstPosition;
    this.db = new Database(path);
    this.db.pragma('journal_mode = OFF');
    this.db.exec(EVENTS_SCHEMA);
    const insert = this.db.prepare(`INSERT INTO events (${EVENT_COLUMNS}, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertMany = this.db.transaction((rows: unknown[][]) => {
      for (const row of rows) insert.run(...row);
    });
  }

  /**
   * Rows are serialized as they arrive and written every 1,000 events or STAGE_CHARS of JSON,
   * whichever comes first: 1,000 import events are a whole million-row import, never to be held at once.
   * A chain hash the event carries (a backup's event line has one) is staged beside it: the adoption
   * computes the chain again and refuses the history unless they agree.
   */
  add(e: RecordedEvent & { hash?: string }): void {
    if (e.position !== this.expected++) throw new IncompleteHistoryError(e.position);
    const data = JSON.stringify(e.data);
    const metadata = JSON.stringify(e.metadata);
    this.rows.push([e.position, e.eventId, e.stream, e.revision, e.type, e.schemaVersion, data, metadata, Date.parse(e.recordedAt), e.hash ?? null]);
    this.chars += data.length + metadata.length;
    if (this.rows.length >= 1000 || this.chars >= STAGE_CHARS) this.flush();
  }

  /** The last position staged (firstPosition - 1: none). */
  get head(): number {
    return this.expected - 1;
  }

  finish(): void {
    this.flush();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private flush(): void {
    this.insertMany(this.rows);
    this.rows = [];
    this.chars = 0;
  }
}

/**
 * The rows of a complete staged history after `after`, in position order, a page at a time
 * (at most 1,000 rows or STAGE_CHARS of data): how another store (PostgreSQL) adopts the staging
 * format. The row's hash is the one the history carried, null when it had none.
 */
export function* stagedHistoryPages(path: string, after: number): Generator<Array<EventRow & { hash: string | null }>> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const page = db.prepare<[number], EventRow & { hash: string | null }>(`SELECT ${EVENT_COLUMNS}, hash FROM events WHERE position > ? ORDER BY position LIMIT 1000`);
    let last = after;
    for (;;) {
      const rows: Array<EventRow & { hash: string | null }> = [];
      let chars = 0;
      for (const row of page.iterate(last)) {
        rows.push(row);
        if ((chars += row.data.length) >= STAGE_CHARS) break;
      }
      if (rows.length === 0) return;
      last = rows[rows.length - 1].position;
      yield rows;
    }
  } finally {
    db.close();
  }
}
