import Database from 'better-sqlite3';
import { EVENT_COLUMNS, EventRow } from './event-row';

/**
 * Backup lines made straight from the log's stored rows, their JSON columns (an event's data and
 * metadata) copied as text, neither parsed nor serialized again: a native backup's history, at the
 * cost of reading rows. The lines are what JSON.stringify would write for the same record up to the
 * JSON text of those columns, which a reader parses to the same values; a backup's writer reads
 * every line as a reader will, so a row that is not what it should be fails the backup instead of
 * reaching the file.
 */

/**
 * The embedded log's events up to `toPosition`, in position order, as lines (`{"t":"event",…}`, one
 * per piece), read through a read-only connection of its own inside one read transaction.
 */
export function* storedEventLines(logFile: string, toPosition: number): Generator<{ ndjson: string; records: number }> {
  const log = new Database(logFile, { readonly: true });
  try {
    log.exec('BEGIN');
    for (const row of log.prepare(`SELECT ${EVENT_COLUMNS}, hash FROM events WHERE position <= ? ORDER BY position`).iterate(toPosition) as IterableIterator<EventRow & { hash: string | null }>) {
      yield { ndjson: eventRowLine(row), records: 1 };
    }
  } finally {
    log.close();
  }
}

/**
 * A row of the log as its line: the payload at the schema version it was stored with (a reader
 * upcasts it, as it upcasts every event it reads), `recordedAt` as ISO 8601 like the store reads it,
 * and the row's chain hash when it has one.
 */
export function eventRowLine(row: EventRow & { hash?: string | null }): string {
  return (
    `{"t":"event","v":{"position":${row.position},"eventId":${JSON.stringify(row.event_id)},"stream":${JSON.stringify(row.stream)},` +
    `"revision":${row.revision},"type":${JSON.stringify(row.type)},"schemaVersion":${row.schema_version},"data":${storedJsonText(row.data)},` +
    `"metadata":${storedJsonText(row.metadata)},"recordedAt":${JSON.stringify(new Date(row.recorded_at).toISOString())}` +
    `${row.hash ? `,"hash":"${row.hash}"` : ''}}}\n`
  );
}

/** Stored JSON text as part of one line: text with a line break in it (legal between JSON tokens) is written again on one line. */
export function storedJsonText(text: string): string {
  return text.includes('\n') ? JSON.stringify(JSON.parse(text)) : text;
}
