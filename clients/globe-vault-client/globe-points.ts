/**
 * GET /api/globe/points: every location as the globe draws it, in columns. The binary form
 * (Accept: application/vnd.globe-vault.points) is decoded here with typed-array views onto the body;
 * its layout is written down beside the encoder (src/globe/points/globe-points-wire.ts).
 */
export const GLOBE_POINTS_TYPE = 'application/vnd.globe-vault.points';

export interface GlobePoints {
  /** The log position the points were read at. */
  position: number;
  /** Points come grouped by dataset in this order: dataset k's points follow those of datasets 0..k-1. */
  datasets: { id: string; count: number }[];
  ids: string[];
  latitude: Float64Array;
  longitude: Float64Array;
  /** NaN where a location has no quantity. */
  quantity: Float64Array;
  /** With `fields=updated_at` only. */
  updatedAt?: string[];
}

interface Header {
  version: number;
  position: number;
  count: number;
  datasets: { id: string; count: number }[];
  fields: string[];
  idBytes: number;
  updatedAtBytes?: number;
}

const align8 = (n: number) => n + ((8 - (n % 8)) % 8);

/** Decodes the binary form; throws on a body that is not one (wrong magic, version, or size). */
export function decodeGlobePoints(body: ArrayBuffer): GlobePoints {
  const bytes = new Uint8Array(body);
  const view = new DataView(body);
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'GVPT') throw new Error('not a Globe Vault points body');
  const headerLength = view.getUint32(4, true);
  const decoder = new TextDecoder();
  const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLength))) as Header;
  if (header.version !== 1) throw new Error(`unknown points body version ${header.version}`);
  const n = header.count;
  let offset = align8(8 + headerLength);
  const floats = () => {
    const column = new Float64Array(body, offset, n);
    offset += n * 8;
    return column;
  };
  const strings = (textBytes: number) => {
    const lengths = new Uint16Array(body, offset, n);
    offset = align8(offset + n * 2);
    const text = decoder.decode(bytes.subarray(offset, offset + textBytes));
    offset = align8(offset + textBytes);
    const out: string[] = new Array(n);
    for (let i = 0, at = 0; i < n; i++) out[i] = text.slice(at, (at += lengths[i]));
    return out;
  };
  const latitude = floats();
  const longitude = floats();
  const quantity = floats();
  const ids = strings(header.idBytes);
  const updatedAt = header.updatedAtBytes !== undefined ? strings(header.updatedAtBytes) : undefined;
  if (offset !== body.byteLength) throw new Error(`points body of ${body.byteLength} bytes, ${offset} expected`);
  return { position: header.position, datasets: header.datasets, ids, latitude, longitude, quantity, ...(updatedAt ? { updatedAt } : {}) };
}
