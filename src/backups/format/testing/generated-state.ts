import { Readable } from 'node:stream';
import { DEFAULT_SETTINGS } from '../../../domain/settings';
import { BackupRecord } from '../backup-record';
import { seededRandom } from '../../../common/seeded-random';

/** Deterministic test states for the backup format, made lazily, and small helpers around them (no fast-check here: the memory probe loads this). */

/** A small fixed state (a few KB of NDJSON) with every kind of record, for fault injection. */
export function smallState(locations = 20): BackupRecord[] {
  return [...largeState(locations, { events: 5 })];
}

const SYLLABLES = ['ka', 'lo', 'mi', 'san', 'ber', 'to', 'ri', 'vel', 'no', 'dor', 'ha', 'mun', 'ze', 'qui', 'port', 'ville'];
const COUNTRIES = ['DE', 'FR', 'JP', 'BR', 'US', 'IN', 'NG', 'AU', 'CA', 'MX', 'ES', 'IT', 'KE', 'AR', 'CN', 'ID'];

/**
 * A state of `locations` locations in one dataset, made one record at a time (nothing is held), with
 * the variety of imported data (random coordinates at 6 decimals, names, populations, tags), so that
 * sizes and speeds measured on it are not flattered by repetition.
 */
export function* largeState(locations: number, { events = 0, seed = 1 } = {}): Generator<BackupRecord> {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const word = () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join('');
  const hex6 = () => Math.floor(random() * 0x1000000).toString(16).padStart(6, '0');
  const hex = (n: number) => (hex6() + hex6()).slice(0, n);
  const at = '2024-05-01T12:00:00.000Z';
  yield { t: 'dataset', v: { id: 'ds-1', name: 'Cities', description: 'generated', color: '#3b82f6', visible: true, source: { fileName: 'cities.csv', format: 'csv' }, columnMapping: { quantity: 'population' }, created_at: at, updated_at: at } };
  for (let i = 0; i < locations; i++) {
    const name = word();
    yield {
      t: 'location',
      v: {
        id: `${String(i).padStart(8, '0')}-${hex(4)}-${hex(12)}`,
        datasetId: 'ds-1',
        name: name[0].toUpperCase() + name.slice(1),
        latitude: Math.round((random() * 180 - 90) * 1e6) / 1e6,
        longitude: Math.round((random() * 360 - 180) * 1e6) / 1e6,
        quantity: Math.floor(random() ** 3 * 10_000_000),
        properties: {
          country: pick(COUNTRIES),
          population: Math.floor(random() * 5_000_000),
          elevation_m: Math.round(random() * 3000 * 10) / 10,
          tags: ['capital', 'port', 'historic', 'coastal'].filter(() => random() < 0.3),
          source_row: i + 2,
        },
        created_at: `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}T${10 + Math.floor(random() * 14)}:${Math.floor(random() * 6)}0:00.000Z`,
        updated_at: at,
      },
    };
  }
  yield { t: 'settings', v: { ...DEFAULT_SETTINGS } };
  yield { t: 'configuration', v: { id: 'cfg-1', kind: 'camera-view', name: 'Home', value: { lat: 10, lng: 20, altitude: 2.5 }, created_at: at, updated_at: at } };
  for (let i = 1; i <= events; i++) {
    yield { t: 'event', v: { position: i, eventId: `ev-${i}`, stream: 'settings', revision: i - 1, type: 'SettingsChanged', schemaVersion: 1, data: { patch: { theme: i % 2 ? 'dark' : 'light' } }, metadata: { actor: 'test' }, recordedAt: at } };
  }
}

export { asAsync } from '../../../../test/support/event-fixtures';

export const INFO = { appVersion: '0.1.0-test', createdAt: '2024-05-01T12:00:00.000Z', headPosition: 5, headRecordedAt: '2024-05-01T12:00:00.000Z' };

/** A readable over a buffer in small chunks, so header and line boundaries fall inside chunks. */
export const chunked = (bytes: Buffer, size = 1000): Readable =>
  Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })(), { objectMode: false });
