/** Which column (an original header string, or JSON key) holds each field of a location. */
export type ColumnMapping = {
  id?: string;
  name?: string;
  latitude?: string;
  longitude?: string;
  quantity?: string;
  createdAt?: string;
  updatedAt?: string;
};

type Field = keyof ColumnMapping;

/** The Globe app's exact header names per field, lower-case. */
const FIELD_BY_HEADER: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['name', 'name'],
  ['title', 'name'],
  ['location', 'name'],
  ['address', 'name'],
  ['lat', 'latitude'],
  ['latitude', 'latitude'],
  ['lng', 'longitude'],
  ['lon', 'longitude'],
  ['long', 'longitude'],
  ['longitude', 'longitude'],
  ['quantity', 'quantity'],
  ['qty', 'quantity'],
  ['value', 'quantity'],
  ['size', 'quantity'],
  ['amount', 'quantity'],
  ['id', 'id'],
  ['created_at', 'createdAt'],
  ['createdat', 'createdAt'],
  ['updated_at', 'updatedAt'],
  ['updatedat', 'updatedAt'],
]);

/** When no header is exactly a name header, the first containing one of these names the location. */
const NAME_FRAGMENTS = ['name', 'location', 'city'];

/**
 * The Globe app's column rules. Matching ignores case and surrounding spaces; each
 * field takes the first header (in header order) that matches it. Without any name
 * column the mapping has no `name` and normalization names locations by coordinates.
 */
export function detectColumns(headers: readonly string[]): ColumnMapping {
  const columns: ColumnMapping = {};
  for (const header of headers) {
    const field = FIELD_BY_HEADER.get(header.trim().toLowerCase());
    if (field !== undefined && columns[field] === undefined) columns[field] = header;
  }
  if (columns.name === undefined) {
    const nameLike = headers.find((header) => NAME_FRAGMENTS.some((part) => header.toLowerCase().includes(part)));
    if (nameLike !== undefined) columns.name = nameLike;
  }
  return columns;
}
