import Database from 'better-sqlite3';
import { RecordedEvent } from '../event-store';
import { IncompleteHistoryError } from '../event-store.errors';
import { EVENT_COLUMNS } from './event-row';
import { EVENTS_SCHEMA } from './events-schema.sql';

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
    const insertMany = staging.transaction((rows: RecordedEvent[]) => {
      for (const e of rows) {
        insert.run(e.position, e.eventId, e.stream, e.revision, e.type, e.schemaVersion, JSON.stringify(e.data), JSON.stringify(e.metadata), Date.parse(e.recordedAt));
      }
    });
    let expected = 1;
    let batch: RecordedEvent[] = [];
    for await (const event of events) {
      if (event.position !== expected++) throw new IncompleteHistoryError(event.position);
      batch.push(event);
      if (batch.length >= 1000) {
        insertMany(batch);
        batch = [];
      }
    }
    insertMany(batch);
  } finally {
    staging.close();
  }
}
