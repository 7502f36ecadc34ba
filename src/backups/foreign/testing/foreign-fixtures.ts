import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_SETTINGS } from '../../../domain/settings';
import { BackupRecord } from '../../format/backup-record';

/** Test data and helpers for the foreign formats' specs. */

const AT = '2024-05-01T12:00:00.000Z';

type LocationValue = Extract<BackupRecord, { t: 'location' }>['v'];

/** A small state in backup order with the variety the formats must carry: typed, nested and clashing properties, awkward text. */
export function sampleState(): BackupRecord[] {
  return [
    {
      t: 'dataset',
      v: { id: 'ds-1', name: 'Cities', description: 'capitals', color: '#ff0000', visible: true, source: { fileName: 'cities.csv', format: 'csv' }, columnMapping: { quantity: 'population', label: null }, created_at: AT, updated_at: AT },
    },
    {
      t: 'dataset',
      v: { id: 'ds-2', name: 'Ports', description: '', color: '#00ff00', visible: false, source: null, columnMapping: { color: 'kind' }, created_at: AT, updated_at: AT },
    },
    location('loc-1', 'ds-1', 'Paris', 48.8566, 2.3522, 2_100_000, { country: 'FR', is_capital: true, rank: 1, note: null, tags: ['a', 'b'], nested: { deep: { x: 1.5 } } }),
    location('loc-2', 'ds-1', 'Quote "and", comma\nnewline', -33.8688, 151.2093, undefined, { country: 'AU', name: 'the name column', id: 'source-id', 'properties.name': 'literally', zip: '02134', empty: '' }),
    location('loc-3', 'ds-2', 'Zürich 東京 🚢', 0, -180, 0, { country: 'CH', elevation: -12.25, datasetId: 'as a property', big: 1e21 }),
    { t: 'settings', v: { ...DEFAULT_SETTINGS, drawerOpen: true, sortBy: 'updated_at', sortOrder: 'desc', searchQuery: 'port', theme: 'dark', rotationSpeed: 2 } },
    { t: 'configuration', v: { id: 'cfg-1', kind: 'camera-view', name: 'Home', value: { lat: 10, lng: 20, altitude: 2.5 }, created_at: AT, updated_at: AT } },
    { t: 'configuration', v: { id: 'cfg-2', kind: 'filter', name: 'Big', value: ['quantity', '>', 1000], created_at: AT, updated_at: '2024-06-01T00:00:00.000Z' } },
    { t: 'event', v: { position: 1, eventId: 'ev-1', stream: 'settings', revision: 0, type: 'SettingsChanged', schemaVersion: 1, data: { patch: { theme: 'dark' } }, metadata: {}, recordedAt: AT } },
  ];
}

export function location(
  id: string,
  datasetId: string,
  name: string,
  latitude: number,
  longitude: number,
  quantity: number | undefined,
  properties: Record<string, unknown>,
  times: { created_at: string; updated_at: string } = { created_at: '2024-01-02T03:04:05.006Z', updated_at: AT },
): BackupRecord {
  const v: LocationValue = { id, datasetId, name, latitude, longitude, properties, ...times };
  if (quantity !== undefined) v.quantity = quantity;
  return { t: 'location', v };
}

export { asAsync, collect } from '../../../../test/support/event-fixtures';

export const locationsOf = (records: BackupRecord[]) => records.filter((r): r is Extract<BackupRecord, { t: 'location' }> => r.t === 'location').map((r) => r.v);
export const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** A temporary folder per spec file. */
export function tempDir(): { path: (name: string) => string; setUp: () => Promise<void>; tearDown: () => Promise<void> } {
  let dir = '';
  return {
    path: (name) => join(dir, name),
    setUp: async () => {
      dir = await mkdtemp(join(tmpdir(), 'gv-foreign-'));
    },
    tearDown: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs an exporter into a file and returns the file's text. */
export async function exportToFile<T>(path: string, write: (out: Writable) => Promise<T>): Promise<{ result: T; text: string }> {
  const result = await write(createWriteStream(path));
  return { result, text: await readFile(path, 'utf8') };
}

export const writeJson = (path: string, value: unknown) => writeFile(path, JSON.stringify(value, null, 2));

/**
 * The checks the Globe app makes before loading a "Save Project" file: locations an array;
 * columnMapping, uiSettings and metadata objects; metadata.timestamp and metadata.version strings;
 * metadata.recordCount a number.
 */
export function globeAppAccepts(data: unknown): boolean {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(data) || !Array.isArray(data.locations)) return false;
  if (!isObject(data.columnMapping) || !isObject(data.uiSettings) || !isObject(data.metadata)) return false;
  const { timestamp, version, recordCount } = data.metadata;
  return typeof timestamp === 'string' && typeof version === 'string' && typeof recordCount === 'number';
}

/** A Save Project file as the Globe app writes it (JSON.stringify(project, null, 2)). */
export const GLOBE_APP_PROJECT = {
  locations: [
    { id: 'a1b2c3', name: 'Tokyo', latitude: 35.6762, longitude: 139.6503, quantity: 37400068, created_at: '2025-02-27T09:15:00.000Z', updated_at: '2025-02-28T11:00:00.000Z', population: 37400068, country: 'Japan', is_capital: true },
    { id: 1717171717, name: 'Delhi', latitude: 28.7041, longitude: 77.1025, quantity: 28514000, created_at: '2025-02-27T09:15:00.000Z', updated_at: '2025-02-27T09:15:00.000Z', population: 28514000, country: 'India', is_capital: false },
    { id: 'd4e5f6', name: 'São Paulo', latitude: -23.5505, longitude: -46.6333, created_at: '2025-02-27T09:15:00.000Z', updated_at: '2025-02-27T09:15:00.000Z', population: null, country: 'Brazil', is_capital: false },
  ],
  columnMapping: { quantity: 'population' },
  uiSettings: { drawerOpen: true, showQuantityVisualization: false, searchQuery: 'a', sortBy: 'created_at', sortOrder: 'desc', filterBy: 'with_quantity' },
  metadata: { timestamp: '2025-03-01T10:00:00.000Z', version: '1.0', recordCount: 3, appVersion: '1.2.0' },
};
