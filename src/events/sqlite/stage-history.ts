import Database from 'better-sqlite3';
import { RecordedEvent } from '../event-store';
import { IncompleteHistoryError } from '../event-store.errors';
import { EVENT_COLUMNS } from './event-row';
import { EVENTS_SCHEMA } from './events-schema.sql';

/** As the log's own pages (sqlite-event-store.ts, PAGE_CHARS). */
const STAGE_CHARS = 4 * 1024 * 1024;

/**
 * Writes a history, as it streams in, into a staging database of the log's own schema; the store
 * copies it in one transaction afterwards. Only a history that starts at position 1 and has no gap
 * can stand on its own (a compacted one cannot): anything else is refused before it is committed.
 */
export async function stageHistory(path: string, events: AsyncIterable<RecordedEvent>): Promise<void> {
  const staging = new Database(path);
  try {
    staging.pragma('journal_mode = OFF');
    staging.exec(EVENTS_SCHEMA);
    const insert = staging.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertMany = staging.transaction((rows: unknown[][]) => {
      for (const row of rows) insert.run(...row);
    });
    // Rows are serialized as they arrive and written every 1,000 events or STAGE_CHARS of JSON,
    // whichever comes first: 1,000 import events are a whole million-row import, never to be held at once.
    let expected = 1;
    let rows: unknown[][] = [];
    let chars = 0;
    for await (const e of events) {
      if (e.position !== expected++) throw new IncompleteHistoryError(e.position);
      const data = JSON.stringify(e.data);
      const metadata = JSON.stringify(e.metadata);
      rows.push([e.position, e.eventId, e.stream, e.revision, e.type, e.schemaVersion, data, metadata, Date.parse(e.recordedAt)]);
      chars += data.length + metadata.length;
      if (rows.length >= 1000 || chars >= STAGE_CHARS) {
        insertMany(rows);
        rows = [];
        chars = 0;
      }
    }
    insertMany(rows);
  } finally {
    staging.close();
  }
}
