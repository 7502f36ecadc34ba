import type { GlobePoints } from '../../projections/globe-points';

/**
 * The wire forms of GET /api/globe/points. The binary one (the UI's) is what a browser reads fastest:
 * typed-array views straight onto the body, no per-point parsing but the ids. Its layout
 * (little-endian; every column starts 8-byte aligned, padding is zero bytes):
 *
 *   "GVPT" | u32 header length | header (UTF-8 JSON) | pad
 *   latitude f64[count] | longitude f64[count] | quantity f64[count] (NaN: none)
 *   id lengths u16[count] (UTF-16 code units) | pad | ids, UTF-8, back to back | pad
 *   [updated_at lengths u16[count] | pad | updated_at, UTF-8, back to back]   (when asked for)
 *
 * header: { version: 1, position, count, datasets: [{ id, count }], fields, idBytes, updatedAtBytes? }.
 * Points come grouped by dataset, in the order of `datasets`. The decoder is
 * clients/globe-vault-client/globe-points.ts; GLOBE_POINTS_TYPE names the form.
 */
export const GLOBE_POINTS_TYPE = 'application/vnd.globe-vault.points';
const MAGIC = 'GVPT';

export interface PointsHeader {
  version: 1;
  position: number;
  count: number;
  datasets: { id: string; count: number }[];
  fields: string[];
  idBytes: number;
  updatedAtBytes?: number;
}

/** The binary form as a few chunks to write in order (the columns are not copied: views of the arrays). */
export function binaryChunks(points: GlobePoints): Buffer[] {
  const count = points.ids.length;
  const ids = packStrings(points.ids);
  const updated = points.updatedAt ? packStrings(points.updatedAt) : null;
  const header: PointsHeader = {
    version: 1,
    position: points.position,
    count,
    datasets: points.datasets,
    fields: ['id', 'latitude', 'longitude', 'quantity', ...(updated ? ['updated_at'] : [])],
    idBytes: ids.text.length,
    ...(updated ? { updatedAtBytes: updated.text.length } : {}),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(json.length, 4);
  const column = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const chunks = [prefix, json, padding(8 + json.length), column(points.latitude), column(points.longitude), column(points.quantity)];
  for (const packed of updated ? [ids, updated] : [ids]) {
    chunks.push(packed.lengths, padding(packed.lengths.length), packed.text, padding(packed.text.length));
  }
  return chunks;
}

/** The JSON form: the same columns as arrays (a missing quantity is null), for scripts and tools. */
export function jsonForm(points: GlobePoints) {
  return {
    position: points.position,
    count: points.ids.length,
    datasets: points.datasets,
    ids: points.ids,
    latitude: Array.from(points.latitude),
    longitude: Array.from(points.longitude),
    quantity: Array.from(points.quantity, (q) => (Number.isNaN(q) ? null : q)),
    ...(points.updatedAt ? { updatedAt: points.updatedAt } : {}),
  };
}

/** Strings back to back, with each one's length in UTF-16 code units (what a decoder slices the decoded text by). */
function packStrings(values: string[]): { lengths: Buffer; text: Buffer } {
  // Node runs little-endian on every platform it supports, so a Uint16Array's bytes are the wire's.
  const lengths = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) lengths[i] = values[i].length;
  return { lengths: Buffer.from(lengths.buffer, lengths.byteOffset, lengths.byteLength), text: Buffer.from(values.join(''), 'utf8') };
}

/** Zero bytes that bring a part of `length` bytes up to the next multiple of 8. */
const padding = (length: number) => Buffer.alloc((8 - (length % 8)) % 8);
