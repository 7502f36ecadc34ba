import type { Location } from '../api/types';

/** The globe's radius in scene units; everything on it is placed from latitude and longitude. */
export const GLOBE_RADIUS = 1;
export const POINT_RADIUS = 1.004;

/** Writes the point at (lat, lng) on a sphere of `radius` into `out` at `offset` (x, y, z; north is +y, lng 0 faces +z). */
export function writeLatLng(out: Float32Array, offset: number, lat: number, lng: number, radius: number): void {
  const phi = (lat * Math.PI) / 180;
  const lambda = (lng * Math.PI) / 180;
  const r = radius * Math.cos(phi);
  out[offset] = r * Math.sin(lambda);
  out[offset + 1] = radius * Math.sin(phi);
  out[offset + 2] = r * Math.cos(lambda);
}

/** One dataset's points, ready to draw: index i of `positions` (×3) and of `sizes` is `locations[i]`. */
export interface GlobeLayer {
  id: string;
  name: string;
  color: string;
  visible: boolean;
  locations: Location[];
  positions: Float32Array;
  sizes: Float32Array;
}

export function positionsOf(locations: Location[]): Float32Array {
  const out = new Float32Array(locations.length * 3);
  locations.forEach((l, i) => writeLatLng(out, i * 3, l.latitude, l.longitude, POINT_RADIUS));
  return out;
}

/** Largest point, as a multiple of a point without a quantity. */
const MAX_SIZE = 3;

/**
 * Each point's size for the quantity visualization: 1 without a quantity, up to MAX_SIZE for the
 * layer's largest; by square root, so a point's area grows with its quantity.
 */
export function sizesOf(locations: Location[]): Float32Array {
  const max = locations.reduce((m, l) => Math.max(m, l.quantity ?? 0), 0);
  return Float32Array.from(locations, (l) => (l.quantity !== undefined && max > 0 ? 1 + (MAX_SIZE - 1) * Math.sqrt(Math.max(0, l.quantity) / max) : 1));
}

/** Groups locations by dataset; datasets without locations get no layer. */
export function groupByDataset(locations: Location[]): Map<string, Location[]> {
  const groups = new Map<string, Location[]>();
  for (const location of locations) {
    const group = groups.get(location.datasetId);
    if (group) group.push(location);
    else groups.set(location.datasetId, [location]);
  }
  return groups;
}
