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

/** Points as columns (GET /api/globe/points): index i of every array is one location. */
export interface PointColumns {
  ids: string[];
  latitude: Float64Array;
  longitude: Float64Array;
  /** NaN: no quantity. */
  quantity: Float64Array;
  /** Only where asked for (the restore preview). */
  updatedAt?: string[];
}

/** One dataset's points, ready to draw: index i of the columns, of `positions` (×3) and of `sizes` is one location. */
export interface GlobeLayer extends PointColumns {
  id: string;
  name: string;
  color: string;
  visible: boolean;
  count: number;
  positions: Float32Array;
  sizes: Float32Array;
}

export function positionsOf({ latitude, longitude }: Pick<PointColumns, 'latitude' | 'longitude'>): Float32Array {
  const out = new Float32Array(latitude.length * 3);
  for (let i = 0; i < latitude.length; i++) writeLatLng(out, i * 3, latitude[i], longitude[i], POINT_RADIUS);
  return out;
}

/** Largest point, as a multiple of a point without a quantity. */
const MAX_SIZE = 3;

/**
 * Each point's size for the quantity visualization: 1 without a quantity, up to MAX_SIZE for the
 * layer's largest; by square root, so a point's area grows with its quantity.
 */
export function sizesOf(quantity: Float64Array): Float32Array {
  let max = 0;
  for (const q of quantity) if (q > max) max = q;
  return Float32Array.from(quantity, (q) => (!Number.isNaN(q) && max > 0 ? 1 + (MAX_SIZE - 1) * Math.sqrt(Math.max(0, q) / max) : 1));
}
