/**
 * Where a location's properties sit beside its named fields (the Globe app's flat locations, our
 * CSV columns), a property named like a field would clobber it or be clobbered. Such a property is
 * written under `properties.<name>`: the path where it lives in our model, readable by anyone who
 * opens the file. The mapping is a bijection, so readGlobeProject can undo it exactly: a key that
 * already looks escaped (`properties.name`, `properties.properties.name`, …) gets one more prefix.
 * Keys that do not end in a reserved name are never touched, so a file the Globe app saved reads
 * back unchanged unless it has a column literally named `properties.id`, `properties.name`, etc.
 */
export const PROPERTY_PREFIX = 'properties.';

/** The named fields of a location in the Globe app's flat shape (Save Project files). */
export const GLOBE_LOCATION_FIELDS: ReadonlySet<string> = new Set(['id', 'name', 'latitude', 'longitude', 'quantity', 'created_at', 'updated_at']);

/** The fixed columns of our CSV export: the Globe fields and the dataset. */
export const CSV_LOCATION_FIELDS: ReadonlySet<string> = new Set([...GLOBE_LOCATION_FIELDS, 'datasetId']);

/** The key a property is written under beside `fields`. */
export function escapePropertyKey(key: string, fields: ReadonlySet<string>): string {
  return fields.has(stripPrefixes(key)) ? PROPERTY_PREFIX + key : key;
}

/** The property a flat key stands for, given it is not one of `fields` itself. */
export function unescapePropertyKey(key: string, fields: ReadonlySet<string>): string {
  return key.startsWith(PROPERTY_PREFIX) && fields.has(stripPrefixes(key)) ? key.slice(PROPERTY_PREFIX.length) : key;
}

function stripPrefixes(key: string): string {
  let rest = key;
  while (rest.startsWith(PROPERTY_PREFIX)) rest = rest.slice(PROPERTY_PREFIX.length);
  return rest;
}
