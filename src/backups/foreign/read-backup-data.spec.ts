import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { BackupRecord } from '../format/backup-record';
import { writeBackupData } from './export-backup-data';
import { readBackupData } from './read-backup-data';
import { asAsync, byId, collect, locationsOf, sampleState, tempDir, writeJson } from './testing/foreign-fixtures';

const dir = tempDir();
beforeAll(dir.setUp);
afterAll(dir.tearDown);

const INFO = { datasetId: 'restored', datasetName: 'Restored', now: '2025-04-04T04:04:04.000Z' };
const AT = '2025-01-01T00:00:00.000Z';

async function readJsonFile(name: string, content: unknown): Promise<BackupRecord[]> {
  await (typeof content === 'string' ? writeFile(dir.path(name), content) : writeJson(dir.path(name), content));
  return collect(readBackupData(dir.path(name), INFO));
}

type Value = { id: string } & Record<string, unknown>;
const valuesOf = (records: BackupRecord[], t: BackupRecord['t']) => byId(records.filter((r) => r.t === t).map((r) => r.v as Value));
const sections = (records: BackupRecord[]) => ({
  datasets: valuesOf(records, 'dataset'),
  locations: valuesOf(records, 'location'),
  settings: records.filter((r) => r.t === 'settings').map((r) => r.v),
  configurations: valuesOf(records, 'configuration'),
});
const dataset = (id: string) => ({ id, name: id, description: '', color: '#123456', visible: true, source: null, columnMapping: {}, created_at: AT, updated_at: AT });

describe('readBackupData', () => {
  it('round-trips our export: every dataset, location, the settings and every configuration', async () => {
    const state = sampleState();
    await writeBackupData(asAsync(state), createWriteStream(dir.path('ours.json')), { timestamp: AT, appVersion: '0.1.0' });
    const records = await collect(readBackupData(dir.path('ours.json'), INFO));
    expect(sections(records)).toEqual(sections(state.filter((r) => r.t !== 'event')));
  });

  it("reads the request's shape: flat Globe locations without datasets go to info's dataset, timed by the document", async () => {
    const records = await readJsonFile('request.json', {
      version: '1.0',
      timestamp: AT,
      metadata: { totalLocations: 2, totalSize: 1234, appVersion: '1.2.0' },
      locations: [
        { id: 'a', name: 'A', latitude: 1, longitude: 2, quantity: 5, population: 10, created_at: 'c', updated_at: 'u' },
        { id: 2, name: 'B', latitude: 3, longitude: 4, properties: { kept: true }, extra: 'x' },
      ],
      settings: { theme: 'dark', language: 'x', rotationSpeed: 99, unknownKey: 1 },
      configurations: { cameraViews: [{ lat: 1 }], filters: {} },
    });
    const { datasets, locations, settings, configurations } = sections(records);
    expect(datasets).toEqual([expect.objectContaining({ id: 'restored', name: 'Restored', created_at: AT })]);
    expect(locations).toEqual([
      { id: '2', datasetId: 'restored', name: 'B', latitude: 3, longitude: 4, properties: { kept: true, extra: 'x' }, created_at: AT, updated_at: AT },
      { id: 'a', datasetId: 'restored', name: 'A', latitude: 1, longitude: 2, quantity: 5, properties: { population: 10 }, created_at: 'c', updated_at: 'u' },
    ]);
    expect(settings).toEqual([{ ...DEFAULT_SETTINGS, theme: 'dark' }]);
    expect(configurations).toEqual([
      { id: 'cameraViews', kind: 'other', name: 'cameraViews', value: [{ lat: 1 }], created_at: AT, updated_at: AT },
      { id: 'filters', kind: 'other', name: 'filters', value: {}, created_at: AT, updated_at: AT },
    ]);
  });

  it("sends locations of unknown datasets to info's dataset, and yields that dataset only when needed", async () => {
    const location = (id: string, datasetId?: string) => ({ id, datasetId, name: id, latitude: 0, longitude: 0, properties: {}, created_at: AT, updated_at: AT });
    const mixed = await readJsonFile('mixed.json', { datasets: [dataset('d1')], locations: [location('a', 'd1'), location('b', 'nope'), location('c')] });
    expect(sections(mixed).locations.map((l) => [l.id, l.datasetId])).toEqual([['a', 'd1'], ['b', 'restored'], ['c', 'restored']]);
    expect(sections(mixed).datasets.map((d) => d.id)).toEqual(['d1', 'restored']);
    const known = await readJsonFile('known.json', { datasets: [dataset('d1')], locations: [location('a', 'd1')] });
    expect(sections(known).datasets.map((d) => d.id)).toEqual(['d1']);
    const ownDefault = await readJsonFile('own-default.json', { datasets: [dataset('restored')], locations: [location('a')] });
    expect(sections(ownDefault).datasets).toEqual([dataset('restored')]);
    expect(sections(ownDefault).settings).toEqual([DEFAULT_SETTINGS]);
    const ownDefaultAfter = await readJsonFile('own-default-after.json', { locations: [location('a')], datasets: [dataset('restored')] });
    expect(sections(ownDefaultAfter).datasets).toEqual([dataset('restored')]);
    expect(sections(ownDefaultAfter).locations).toEqual([expect.objectContaining({ id: 'a', datasetId: 'restored' })]);
  });

  it('finishes locations read before the datasets and the timestamp in a second pass', async () => {
    const records = await readJsonFile('late.json', {
      locations: [
        { id: 'a', datasetId: 'd1', name: 'A', latitude: 0, longitude: 0, properties: {} },
        { id: 'b', datasetId: 'gone', name: 'B', latitude: 0, longitude: 0, properties: {}, created_at: 'c', updated_at: 'u' },
        { id: 'c', name: 'C', latitude: 0, longitude: 0, properties: {}, created_at: 'c', updated_at: 'u' },
      ],
      datasets: [dataset('d1')],
      timestamp: AT,
    });
    expect(sections(records).locations.map((l) => [l.id, l.datasetId, l.created_at])).toEqual([
      ['a', 'd1', AT],
      ['b', 'restored', 'c'],
      ['c', 'restored', 'c'],
    ]);
    expect(sections(records).datasets.map((d) => d.id)).toEqual(['d1', 'restored']);
  });

  it('keeps a `properties` member that is not an object as a property rather than dropping it', async () => {
    const records = await readJsonFile('odd-properties.json', { locations: [{ id: 'a', name: 'A', latitude: 0, longitude: 0, properties: [1, 2], created_at: AT, updated_at: AT }] });
    expect(sections(records).locations).toEqual([expect.objectContaining({ id: 'a', properties: { properties: [1, 2] } })]);
  });

  describe('refuses the whole file', () => {
    const location = { id: 'a', name: 'A', latitude: 0, longitude: 0, properties: {}, created_at: AT, updated_at: AT };
    it.each([
      ['an invalid location', { locations: [location, { ...location, id: 'b', longitude: 181 }] }, { section: 'locations', index: 1, path: 'longitude' }],
      ['an invalid dataset', { datasets: [{ ...dataset('d'), color: 'red' }], locations: [] }, { section: 'datasets', index: 0, path: 'color' }],
      ['a dataset id twice', { datasets: [dataset('d'), dataset('d')], locations: [] }, { section: 'datasets', index: 1, path: 'id' }],
      ['an invalid configuration', { locations: [], configurations: [{ id: 'c', kind: 'nope', name: 'C', value: 1, created_at: AT, updated_at: AT }] }, { section: 'configurations', index: 0, path: 'kind' }],
    ])('for %s', async (_case, content, details) => {
      await expect(readJsonFile('invalid.json', content)).rejects.toMatchObject({ code: 'BACKUP.FOREIGN_RECORD_INVALID', status: 400, details });
    });

    it.each([
      ['malformed JSON', '{"version": "1.0", "locations": [}'],
      ['no locations', '{"version": "1.0", "timestamp": "t", "settings": {}}'],
      ['datasets not an array', '{"datasets": {}, "locations": []}'],
      ['settings not an object', '{"settings": "dark", "locations": []}'],
      ['configurations a string', '{"configurations": "x", "locations": []}'],
    ])('for %s', async (_case, content) => {
      await expect(readJsonFile('malformed.json', content)).rejects.toMatchObject({ code: 'BACKUP.FOREIGN_MALFORMED', status: 400 });
    });
  });
});
