import { isJsonObject } from './is-json-object';

/**
 * Key under which a feature that is not a Point carries its geometry type, so that
 * normalization reports the row (ROW.INVALID_GEOMETRY) instead of it vanishing.
 */
export const INVALID_GEOMETRY_KEY = '__invalidGeometry';

const ID_KEY = 'id';

/**
 * The flat record of a GeoJSON Feature: its `properties`, plus `latitude` and
 * `longitude` from a Point's `coordinates` (GeoJSON order is [longitude, latitude]),
 * plus `id` from `feature.id` unless the properties already have an id.
 *
 * `latitude` and `longitude` come first in key order and always hold the geometry's
 * values: column detection takes the first matching key, so a property named `lat` or
 * `latitude` can never shadow the geometry.
 */
export function featureToRecord(feature: Record<string, unknown>): Record<string, unknown> {
  const properties = isJsonObject(feature.properties) ? feature.properties : {};
  const geometry = isJsonObject(feature.geometry) ? feature.geometry : undefined;
  if (geometry?.type !== 'Point') {
    return { ...properties, [INVALID_GEOMETRY_KEY]: geometry === undefined ? 'none' : String(geometry.type) };
  }
  const coordinates = Array.isArray(geometry.coordinates) ? geometry.coordinates : [];
  const record: Record<string, unknown> = { latitude: coordinates[1], longitude: coordinates[0], ...properties };
  // Again after the spread, which may have replaced them with same-named properties.
  record.latitude = coordinates[1];
  record.longitude = coordinates[0];
  if (feature.id !== undefined && feature.id !== null && !hasIdKey(properties)) record[ID_KEY] = feature.id;
  return record;
}

/** Case-insensitive, as column detection matches `id`. */
function hasIdKey(properties: Record<string, unknown>): boolean {
  return Object.keys(properties).some((key) => key.trim().toLowerCase() === ID_KEY);
}
