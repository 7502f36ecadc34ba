import { ColumnMapping } from './column-detection';
import { INVALID_GEOMETRY_KEY } from './geojson-feature-record';
import { parseDecimal } from './parse-decimal';
import { RawRecord } from './raw-record';
import { readCellValue } from './read-cell-value';
import {
  invalidCoordinateReason,
  invalidGeometryReason,
  invalidQuantityReason,
  missingCoordinatesReason,
} from './row-error-reasons';

export type ImportedLocation = {
  id?: string;
  name: string;
  latitude: number;
  longitude: number;
  quantity?: number;
  properties: Record<string, unknown>;
  created_at?: string;
  updated_at?: string;
};

export type RowError = { line: number; code: string; reason: string };

export type NormalizedRow = { ok: true; location: ImportedLocation } | { ok: false; error: RowError };

/**
 * Types and validates one record under a column mapping, by the Globe app's rules.
 *
 * - Rejected rows carry a code (`ROW.INVALID_GEOMETRY`, `ROW.MISSING_COORDINATES`,
 *   `ROW.INVALID_LATITUDE`, `ROW.INVALID_LONGITUDE`, `ROW.INVALID_QUANTITY`, checked in
 *   that order) and a sentence naming the column and the value (row-error-reasons).
 * - Numbers are finite decimals, from JSON numbers or strings (see parseDecimal);
 *   latitude must lie in -90..90 and longitude in -180..180. A blank (empty, null,
 *   whitespace) coordinate is missing; a blank quantity is no quantity.
 * - `id` is the value exactly as given (a number becomes its string); a blank or
 *   non-scalar id is no id. Ids are never invented here.
 * - `name` is trimmed; without one the location is named "<latitude>, <longitude>"
 *   from the parsed numbers ("48.8566, 2.3522").
 * - `created_at`/`updated_at` become ISO 8601 when `new Date()` understands them. An
 *   unparseable date is left out of the field and its raw value kept in `properties`
 *   under its column, so nothing the file said is lost.
 * - Every other column goes into `properties` under its original name, typed by
 *   readCellValue.
 *
 * Runs once per row of files up to a million rows: no regex compiled, closure created
 * or schema run per call; it allocates only the result.
 */
export function normalizeRecord(raw: RawRecord, columns: ColumnMapping): NormalizedRow {
  const { line, record } = raw;
  const geometryType = record[INVALID_GEOMETRY_KEY];
  if (geometryType !== undefined) return rejected(line, 'ROW.INVALID_GEOMETRY', invalidGeometryReason(geometryType));

  const latitudeValue = valueIn(record, columns.latitude);
  const longitudeValue = valueIn(record, columns.longitude);
  const latitudeMissing = isBlank(latitudeValue);
  const longitudeMissing = isBlank(longitudeValue);
  if (latitudeMissing || longitudeMissing) {
    const reason = missingCoordinatesReason(columns, latitudeMissing, longitudeMissing);
    return rejected(line, 'ROW.MISSING_COORDINATES', reason);
  }
  const latitude = toNumber(latitudeValue);
  if (latitude === undefined || latitude < -90 || latitude > 90) {
    const reason = invalidCoordinateReason('latitude', columns.latitude, latitudeValue, latitude, 90);
    return rejected(line, 'ROW.INVALID_LATITUDE', reason);
  }
  const longitude = toNumber(longitudeValue);
  if (longitude === undefined || longitude < -180 || longitude > 180) {
    const reason = invalidCoordinateReason('longitude', columns.longitude, longitudeValue, longitude, 180);
    return rejected(line, 'ROW.INVALID_LONGITUDE', reason);
  }
  const quantityValue = valueIn(record, columns.quantity);
  const quantity = isBlank(quantityValue) ? undefined : toNumber(quantityValue);
  if (quantity === undefined && !isBlank(quantityValue)) {
    return rejected(line, 'ROW.INVALID_QUANTITY', invalidQuantityReason(columns.quantity, quantityValue));
  }

  const createdAtValue = valueIn(record, columns.createdAt);
  const updatedAtValue = valueIn(record, columns.updatedAt);
  const createdAt = toIsoDate(createdAtValue);
  const updatedAt = toIsoDate(updatedAtValue);
  const properties: Record<string, unknown> = {};
  for (const key in record) {
    if (
      key !== columns.id &&
      key !== columns.name &&
      key !== columns.latitude &&
      key !== columns.longitude &&
      key !== columns.quantity &&
      key !== columns.createdAt &&
      key !== columns.updatedAt
    ) {
      properties[key] = readCellValue(record[key]);
    }
  }
  keepUnparsedDate(properties, columns.createdAt, createdAtValue, createdAt);
  keepUnparsedDate(properties, columns.updatedAt, updatedAtValue, updatedAt);

  const location: ImportedLocation = {
    name: toName(valueIn(record, columns.name)) ?? `${latitude}, ${longitude}`,
    latitude,
    longitude,
    properties,
  };
  const id = toId(valueIn(record, columns.id));
  if (id !== undefined) location.id = id;
  if (quantity !== undefined) location.quantity = quantity;
  if (createdAt !== undefined) location.created_at = createdAt;
  if (updatedAt !== undefined) location.updated_at = updatedAt;
  return { ok: true, location };
}

function rejected(line: number, code: string, reason: string): NormalizedRow {
  return { ok: false, error: { line, code, reason } };
}

function valueIn(record: Record<string, unknown>, column: string | undefined): unknown {
  return column === undefined ? undefined : record[column];
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' ? parseDecimal(value) : undefined;
}

function toId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function toName(value: unknown): string | undefined {
  const name = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return name === '' ? undefined : name;
}

function toIsoDate(value: unknown): string | undefined {
  if (typeof value !== 'number' && (typeof value !== 'string' || value.trim() === '')) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function keepUnparsedDate(
  properties: Record<string, unknown>,
  column: string | undefined,
  value: unknown,
  parsed: string | undefined,
): void {
  if (column !== undefined && parsed === undefined && !isBlank(value)) properties[column] = value;
}
