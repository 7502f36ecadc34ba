import { storedJsonText } from '../../events/sqlite/stored-event-lines';

/**
 * A state's location lines made straight from stored rows, `properties` copied as text, neither
 * parsed nor serialized again (see stored-event-lines.ts for why that is safe: the backup's writer
 * reads every line as a reader will).
 */

/** The columns of `locationRowLine`'s row, in its order (read with `.raw()`). */
export const LOCATION_ROW_COLUMNS = 'id, dataset_id, name, latitude, longitude, properties, created_at, updated_at, quantity';

/** A location row as its line, keys in toLocation's order (`quantity` only when not null). */
export function locationRowLine(row: unknown[]): string {
  const quantity = row[8] === null ? '' : `,"quantity":${JSON.stringify(row[8])}`;
  return (
    `{"t":"location","v":{"id":${JSON.stringify(row[0])},"datasetId":${JSON.stringify(row[1])},"name":${JSON.stringify(row[2])},` +
    `"latitude":${JSON.stringify(row[3])},"longitude":${JSON.stringify(row[4])},"properties":${storedJsonText(row[5] as string)},` +
    `"created_at":${JSON.stringify(row[6])},"updated_at":${JSON.stringify(row[7])}${quantity}}}\n`
  );
}
