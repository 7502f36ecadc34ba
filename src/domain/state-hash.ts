import { createHash, Hash } from 'node:crypto';
import { Configuration } from './configuration';
import { Dataset } from './dataset';
import { Location } from './location';
import { Settings } from './settings';

/**
 * JSON with object keys sorted at every level: equal values, equal text, whatever the key order.
 * (Keys sorted by Array#sort's default order, UTF-16 code units, the same as comparing with `<`.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/** A Location's keys in canonical (sorted) order, and their JSON prefixes. */
const LOCATION_KEYS = ['created_at', 'datasetId', 'id', 'latitude', 'longitude', 'name', 'properties', 'quantity', 'updated_at'] as const;
const LOCATION_KEY_SET: ReadonlySet<string> = new Set(LOCATION_KEYS);
const LOCATION_PREFIXES = LOCATION_KEYS.map((k) => `${JSON.stringify(k)}:`);

/**
 * canonicalJson(l) for a location object, byte for byte, without sorting its keys: they are known.
 * An object with any other key takes the general path.
 */
export function canonicalLocationObjectJson(l: Location): string {
  const record = l as unknown as Record<string, unknown>;
  for (const k of Object.keys(record)) if (!LOCATION_KEY_SET.has(k)) return canonicalJson(l);
  let out = '{';
  for (let i = 0; i < LOCATION_KEYS.length; i++) {
    const v = record[LOCATION_KEYS[i]];
    if (v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + LOCATION_PREFIXES[i] + (v === null || typeof v !== 'object' ? (JSON.stringify(v) ?? 'null') : canonicalJson(v));
  }
  return out + '}';
}

/**
 * sha256 of a whole Globe state, fed section by section in a fixed order (datasets, locations,
 * settings, configurations), each section's items in ascending id order. Equal states hash equal
 * whatever history or storage built them: a snapshot, a backup file and a restored copy can be
 * checked against each other. Streaming: items are hashed as they come, never collected.
 */
export class StateHasher {
  private readonly hash: Hash = createHash('sha256');
  /** Text fed to the hash in ~64 kB pieces (the same digest, far fewer calls). */
  private pending = '';
  private section = -1;
  private static readonly ORDER = ['datasets', 'locations', 'settings', 'configurations'] as const;

  dataset(d: Dataset): void {
    this.add('datasets', d);
  }
  location(l: Location): void {
    this.locationJson(canonicalLocationObjectJson(l));
  }
  /** A location already in canonical JSON (see canonicalLocationJson): the hot path of hashing a million rows. */
  locationJson(canonical: string): void {
    this.enter(StateHasher.ORDER.indexOf('locations'));
    this.write(canonical + '\n');
  }
  settings(s: Settings): void {
    this.add('settings', s);
  }
  configuration(c: Configuration): void {
    this.add('configurations', c);
  }

  digest(): string {
    this.enter(StateHasher.ORDER.length);
    this.hash.update(this.pending);
    this.pending = '';
    return this.hash.digest('hex');
  }

  private add(section: (typeof StateHasher.ORDER)[number], item: unknown): void {
    this.enter(StateHasher.ORDER.indexOf(section));
    this.write(canonicalJson(item) + '\n');
  }

  private write(text: string): void {
    this.pending += text;
    if (this.pending.length >= 65_536) {
      this.hash.update(this.pending);
      this.pending = '';
    }
  }

  /** Sections must come in order; the markers of skipped (empty) sections are still hashed. */
  private enter(index: number): void {
    if (index < this.section) throw new Error(`state hash: section ${StateHasher.ORDER[index]} after ${StateHasher.ORDER[this.section]}`);
    while (this.section < index) {
      this.section += 1;
      if (this.section < StateHasher.ORDER.length) this.write(`#${StateHasher.ORDER[this.section]}\n`);
    }
  }
}

/** A read-model location row (SQL column names). */
export interface LocationRow {
  id: string;
  dataset_id: string;
  name: string;
  latitude: number;
  longitude: number;
  quantity: number | null;
  properties: string;
  created_at: string;
  updated_at: string;
}

/**
 * canonicalJson(toLocation(row)), byte for byte, without building the object: a location's keys
 * are fixed, so their sorted order is too (checked against the general path by state-hash.spec.ts).
 */
export function canonicalLocationJson(r: LocationRow): string {
  const s = JSON.stringify;
  const quantity = r.quantity === null ? '' : `,"quantity":${s(r.quantity)}`;
  return (
    `{"created_at":${s(r.created_at)},"datasetId":${s(r.dataset_id)},"id":${s(r.id)},"latitude":${s(r.latitude)},` +
    `"longitude":${s(r.longitude)},"name":${s(r.name)},"properties":${canonicalJson(JSON.parse(r.properties))}${quantity},"updated_at":${s(r.updated_at)}}`
  );
}
