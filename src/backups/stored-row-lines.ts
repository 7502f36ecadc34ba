import { EventRow } from '../events/sqlite/event-row';

/**
 * Backup lines made straight from stored rows, their JSON columns (a location's properties, an
 * event's data and metadata) copied as text, neither parsed nor serialized again. The lines are
 * what JSON.stringify would write for the same record up to the JSON text of those columns, which
 * a reader parses to the same values; the writer's check thread reads every line as a reader will,
 * so a row that is not what it should be fails the backup instead of reaching the file.
 */

/** The columns of `locationRowLine`'s row, in its order (read with `.raw()`). */
export const LOCATION_ROW_COLUMNS = 'id, dataset_id, name, latitude, longitude, properties, created_at, updated_at, quantity';

/** A location row as its line, keys in toLocation's order (`quantity` only when not null). */
export function locationRowLine(row: unknown[]): string {
  const quantity = row[8] === null ? '' : `,"quantity":${JSON.stringify(row[8])}`;
  return (
    `{"t":"location","v":{"id":${JSON.stringify(row[0])},"datasetId":${JSON.stringify(row[1])},"name":${JSON.stringify(row[2])},` +
    `"latitude":${JSON.stringify(row[3])},"longitude":${JSON.stringify(row[4])},"properties":${jsonText(row[5] as string)},` +
    `"created_at":${JSON.stringify(row[6])},"updated_at":${JSON.stringify(row[7])}${quantity}}}\n`
  );
}

/**
 * A row of the log as its line: the payload at the schema version it was stored with (a reader
 * upcasts it, as it upcasts every event it reads), `recordedAt` as ISO 8601 like the store reads it,
 * and the row's chain hash when it has one.
 */
export function eventRowLine(row: EventRow & { hash?: string | null }): string {
  return (
    `{"t":"event","v":{"position":${row.position},"eventId":${JSON.stringify(row.event_id)},"stream":${JSON.stringify(row.stream)},` +
    `"revision":${row.revision},"type":${JSON.stringify(row.type)},"schemaVersion":${row.schema_version},"data":${jsonText(row.data)},` +
    `"metadata":${jsonText(row.metadata)},"recordedAt":${JSON.stringify(new Date(row.recorded_at).toISOString())}` +
    `${row.hash ? `,"hash":"${row.hash}"` : ''}}}\n`
  );
}

/** Stored JSON text as part of one line: text with a line break in it (legal between JSON tokens) is written again on one line. */
function jsonText(text: string): string {
  return text.includes('\n') ? JSON.stringify(JSON.parse(text)) : text;
}
