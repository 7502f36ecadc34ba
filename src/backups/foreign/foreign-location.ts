import { isJsonObject } from '../../imports/parsing/is-json-object';
import { BackupRecord } from '../format/backup-record';
import { checkForeignRecord } from './check-foreign-record';
import { foreignRecordInvalid } from './foreign-errors';
import { GLOBE_LOCATION_FIELDS, unescapePropertyKey } from './property-key-escape';

export type LocationRecord = Extract<BackupRecord, { t: 'location' }>;

/** Where a foreign location's other members go. */
export type PropertiesShape =
  /** The Globe app's flat location: every other member is a property (escaped names undone). */
  | 'flat'
  /**
   * Ours: the `properties` object is the bag; other unknown members are added to it when not
   * already there (a `properties` that is not an object is such a member).
   */
  | 'bag';

/** Element `index` of a file's `locations`, which must be an object. */
export function locationElement(value: unknown, index: number): Record<string, unknown> {
  if (!isJsonObject(value)) throw foreignRecordInvalid('locations', index, '', 'a location is a JSON object');
  return value;
}

/** toForeignLocation, validated: throws `BACKUP.FOREIGN_RECORD_INVALID` for `locations[index]`. */
export function foreignLocationRecord(
  element: Record<string, unknown>,
  index: number,
  shape: PropertiesShape,
  datasetId: string,
  time: string,
): LocationRecord {
  return checkForeignRecord({ t: 'location', v: toForeignLocation(element, shape, datasetId, time) }, 'locations', index);
}

/**
 * A location of a Globe app project or BackupData file as our location (not yet validated).
 * `id` is kept exactly, a number becoming its string; a `name` number becomes its string;
 * coordinates are taken as they are (the schema decides). `quantity` is kept when a finite number;
 * `created_at`/`updated_at` when non-empty strings, else `time` is used. A value we cannot hold in a
 * named field (a quantity "12 t", a numeric timestamp) is kept as a property of that name, so
 * nothing the file said is lost. The dataset is the caller's to decide; in the `bag` shape a string
 * `datasetId` member is its input and left out of the properties.
 */
export function toForeignLocation(element: Record<string, unknown>, shape: PropertiesShape, datasetId: string, time: string): unknown {
  const properties: Record<string, unknown> = {};
  const bag = shape === 'bag' && isJsonObject(element.properties);
  if (bag) Object.assign(properties, element.properties);
  for (const key of Object.keys(element)) {
    if (GLOBE_LOCATION_FIELDS.has(key) || (bag && key === 'properties') || (shape === 'bag' && key === 'datasetId' && typeof element.datasetId === 'string')) continue;
    const property = shape === 'flat' ? unescapePropertyKey(key, GLOBE_LOCATION_FIELDS) : key;
    if (!Object.hasOwn(properties, property)) properties[property] = element[key];
  }
  const location: Record<string, unknown> = {
    id: typeof element.id === 'number' && Number.isFinite(element.id) ? String(element.id) : element.id,
    datasetId,
    name: typeof element.name === 'number' ? String(element.name) : element.name,
    latitude: element.latitude,
    longitude: element.longitude,
    properties,
    created_at: timeOf(element, 'created_at', time, properties),
    updated_at: timeOf(element, 'updated_at', time, properties),
  };
  const quantity = element.quantity;
  if (typeof quantity === 'number' && Number.isFinite(quantity)) location.quantity = quantity;
  else keepAsProperty(properties, 'quantity', quantity);
  return location;
}

/** Whether the location has both timestamps of its own (else it takes the file's time). */
export function hasOwnTimes(element: Record<string, unknown>): boolean {
  return isTime(element.created_at) && isTime(element.updated_at);
}

function timeOf(element: Record<string, unknown>, field: string, time: string, properties: Record<string, unknown>): string {
  const value = element[field];
  if (isTime(value)) return value;
  keepAsProperty(properties, field, value);
  return time;
}

const isTime = (value: unknown): value is string => typeof value === 'string' && value !== '';

function keepAsProperty(properties: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '' && !Object.hasOwn(properties, key)) properties[key] = value;
}
