import { Writable } from 'node:stream';
import { BackupRecord } from '../format/backup-record';
import { csvRow } from './csv-field';
import { CSV_LOCATION_FIELDS, escapePropertyKey } from './property-key-escape';
import { writeDocument } from './text-sink';

/**
 * Writes the locations as CSV (RFC 4180, CRLF line ends, UTF-8 without BOM), streaming them one at
 * a time with backpressure: the header `id,name,latitude,longitude,quantity,created_at,updated_at,datasetId`
 * then one column per property key, in the order given (duplicates dropped). A property named like a
 * fixed column is headed `properties.<name>` (property-key-escape.ts). Fields are written by
 * csvField: a location without a property, or with null, gets an empty field. Properties not in
 * `propertyKeys` are not written. Every record other than a location is ignored; with `datasetId`,
 * only that dataset's locations are written.
 *
 * Re-imported through our importer, the file gives back every id, coordinate, quantity and
 * timestamp (as canonical ISO 8601), every name (trimmed, as the importer trims names), and every
 * property whose value is a number, a boolean, null or a string that readCellValue keeps as a
 * string. CSV has no types, so what it cannot give back is: strings that read as numbers or booleans
 * ("42", "true") come back typed, "" comes back null, objects and arrays come back as their JSON
 * text, an absent property comes back null, and `datasetId` comes back as a property (the importer
 * knows no such column), as does an escaped `properties.<name>` column under that header. Header
 * names are trimmed by the importer, so a property key with surrounding spaces loses them.
 *
 * Ends `out` when complete; destroys it on failure.
 */
export function writeLocationsCsv(
  records: AsyncIterable<BackupRecord>,
  out: Writable,
  options: { propertyKeys: string[]; datasetId?: string },
): Promise<{ rows: number }> {
  const keys = [...new Set(options.propertyKeys)];
  const header = [...CSV_LOCATION_FIELDS, ...keys.map((key) => escapePropertyKey(key, CSV_LOCATION_FIELDS))];
  return writeDocument(out, async (sink) => {
    await sink.write(csvRow(header));
    let rows = 0;
    for await (const record of records) {
      if (record.t !== 'location' || (options.datasetId !== undefined && record.v.datasetId !== options.datasetId)) continue;
      const { id, name, latitude, longitude, quantity, created_at, updated_at, datasetId, properties } = record.v;
      const fields: unknown[] = [id, name, latitude, longitude, quantity, created_at, updated_at, datasetId];
      for (const key of keys) fields.push(Object.hasOwn(properties, key) ? properties[key] : undefined);
      await sink.write(csvRow(fields));
      rows++;
    }
    return { rows };
  });
}
