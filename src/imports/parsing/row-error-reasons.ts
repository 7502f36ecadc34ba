import { ColumnMapping } from './column-detection';

/**
 * The human sentences of row errors. Each names the column and the offending value,
 * e.g. `latitude "abc" in column "lat" is not a number`. Values are cut to
 * MAX_QUOTED_VALUE_CHARS, since reasons are stored and shown per row.
 */

const MAX_QUOTED_VALUE_CHARS = 80;
const LATITUDE_HEADERS = '"lat" or "latitude"';
const LONGITUDE_HEADERS = '"lng", "lon", "long" or "longitude"';

export function invalidGeometryReason(geometryType: unknown): string {
  return `geometry ${quote(geometryType)} is not a Point; only points can be imported`;
}

export function missingCoordinatesReason(
  columns: ColumnMapping,
  latitudeMissing: boolean,
  longitudeMissing: boolean,
): string {
  const problems: string[] = [];
  if (latitudeMissing) problems.push(missingReason('latitude', columns.latitude, LATITUDE_HEADERS));
  if (longitudeMissing) problems.push(missingReason('longitude', columns.longitude, LONGITUDE_HEADERS));
  return problems.join('; ');
}

/** `parsed` is undefined when the value is not a number, else it is out of -limit..limit. */
export function invalidCoordinateReason(
  field: 'latitude' | 'longitude',
  column: string | undefined,
  value: unknown,
  parsed: number | undefined,
  limit: number,
): string {
  const problem = parsed === undefined ? 'is not a number' : `is outside the range -${limit} to ${limit}`;
  return `${field} ${quote(value)} in column "${column}" ${problem}`;
}

export function invalidQuantityReason(column: string | undefined, value: unknown): string {
  return `quantity ${quote(value)} in column "${column}" is not a number`;
}

function missingReason(field: string, column: string | undefined, expectedHeaders: string): string {
  return column === undefined
    ? `no ${field} column (expected a column named ${expectedHeaders})`
    : `${field} in column "${column}" is empty`;
}

/** Strings in double quotes, other values as JSON. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const shown = text.length > MAX_QUOTED_VALUE_CHARS ? `${text.slice(0, MAX_QUOTED_VALUE_CHARS)}…` : text;
  return typeof value === 'string' ? JSON.stringify(shown) : shown;
}
