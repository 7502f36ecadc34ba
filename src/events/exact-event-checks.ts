import { MAX_LOCATIONS_PER_EVENT } from '../domain/events';

/**
 * Hand-written checks for the event types written in bulk, for the append path: each answers true
 * only when the type's zod schema would accept the data AND return it unchanged (no unknown key to
 * strip, no default to fill, nothing to transform), so `JSON.stringify(data)` stores exactly what
 * the zod path would store. Anything unusual answers false and goes through zod, which then accepts
 * it (stripping what it strips) or reports why not: these checks never refuse and never decide
 * alone. Proven against the schemas by a property test (exact-event-checks.spec.ts).
 * Why: zod's parse and its output copy were a third of an append's main-thread time.
 */
export const exactEventChecks: Partial<Record<string, (data: unknown) => boolean>> = {
  LocationsAdded: isExactLocationsAdded,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isId = (v: unknown): boolean => typeof v === 'string' && v.length >= 1 && v.length <= 200;
const isTime = (v: unknown): boolean => typeof v === 'string' && v.length >= 1 && v.length <= 40;
const isNumberIn = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && v >= min && v <= max;

function isExactLocationsAdded(data: unknown): boolean {
  if (!isPlainObject(data)) return false;
  let keys = 0;
  for (const key in data) {
    if (key !== 'datasetId' && key !== 'locations') return false;
    keys += 1;
  }
  if (keys !== 2 || !isId(data.datasetId)) return false;
  const locations = data.locations;
  if (!Array.isArray(locations) || locations.length < 1 || locations.length > MAX_LOCATIONS_PER_EVENT) return false;
  for (let i = 0; i < locations.length; i++) if (!isExactLocation(locations[i])) return false;
  return true;
}

/**
 * A backup's location record (backup-record.ts: `{t: 'location', v: location + datasetId}`), by the
 * same rule: true only when backupRecordSchema would accept it AND return it unchanged. For the
 * readers of a backup, which check a million of them (exact-event-checks.spec.ts proves it too).
 */
export function isExactLocationRecord(record: unknown): boolean {
  if (!isPlainObject(record)) return false;
  let keys = 0;
  for (const key in record) {
    if (key !== 't' && key !== 'v') return false;
    keys += 1;
  }
  return keys === 2 && record.t === 'location' && isExactLocation(record.v, true);
}

/** locationSchema (location.ts), exactly: 7 required keys (8 with `datasetId`) and an optional finite `quantity`, nothing else. */
function isExactLocation(l: unknown, withDatasetId = false): boolean {
  if (!isPlainObject(l)) return false;
  let keys = 0;
  for (const key in l) {
    switch (key) {
      case 'datasetId':
        if (!withDatasetId || !isId(l.datasetId)) return false;
        keys += 1;
        break;
      case 'id':
      case 'name':
      case 'latitude':
      case 'longitude':
      case 'properties':
      case 'created_at':
      case 'updated_at':
        keys += 1;
        break;
      case 'quantity':
        if (typeof l.quantity !== 'number' || !Number.isFinite(l.quantity)) return false;
        break;
      default:
        return false;
    }
  }
  return (
    keys === (withDatasetId ? 8 : 7) &&
    isId(l.id) &&
    typeof l.name === 'string' &&
    l.name.length <= 1000 &&
    isNumberIn(l.latitude, -90, 90) &&
    isNumberIn(l.longitude, -180, 180) &&
    isPlainObject(l.properties) &&
    isTime(l.created_at) &&
    isTime(l.updated_at)
  );
}
