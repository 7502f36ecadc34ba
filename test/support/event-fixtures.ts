import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventMetadata } from '../../src/domain/event-metadata';
import { LocationData } from '../../src/domain/location';
import { NewEvent } from '../../src/events/event-store';

export const testMetadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: 'tester',
  source: 'api',
  correlationId: 'corr-1',
  causationId: null,
  ...overrides,
});

export const location = (id: string, overrides: Partial<LocationData> = {}): LocationData => ({
  id,
  name: `Place ${id}`,
  latitude: 10,
  longitude: 20,
  properties: {},
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

export const settingsChanged = (patch: Record<string, unknown>, eventId?: string): NewEvent =>
  ({ type: 'SettingsChanged', data: { patch }, metadata: testMetadata(), ...(eventId ? { eventId } : {}) }) as NewEvent;

export const locationsAdded = (datasetId: string, locations: LocationData[]): NewEvent => ({
  type: 'LocationsAdded',
  data: { datasetId, locations },
  metadata: testMetadata(),
});

/** A fresh directory per test; removed by the returned cleanup. */
export function tempDir(prefix = 'gv-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
