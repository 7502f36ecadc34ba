import { Location } from '../../domain/location';
import { escapePropertyKey, GLOBE_LOCATION_FIELDS } from './property-key-escape';

/**
 * A location as the Globe app saves it: id, name, latitude, longitude, quantity (when it has one),
 * created_at, updated_at, then every property as a member of its own, in that order. A property
 * named like one of those fields is written as `properties.<name>` (see property-key-escape.ts).
 * The dataset is not written: the Globe app has none.
 */
export function globeLocationJson(location: Location): string {
  let json = `{"id":${JSON.stringify(location.id)},"name":${JSON.stringify(location.name)},"latitude":${JSON.stringify(location.latitude)},"longitude":${JSON.stringify(location.longitude)}`;
  if (location.quantity !== undefined) json += `,"quantity":${JSON.stringify(location.quantity)}`;
  json += `,"created_at":${JSON.stringify(location.created_at)},"updated_at":${JSON.stringify(location.updated_at)}`;
  const { properties } = location;
  for (const key of Object.keys(properties)) {
    const value = JSON.stringify(properties[key]);
    if (value !== undefined) json += `,${JSON.stringify(escapePropertyKey(key, GLOBE_LOCATION_FIELDS))}:${value}`;
  }
  return json + '}';
}
