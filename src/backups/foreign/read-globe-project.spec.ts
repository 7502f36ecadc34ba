import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { BackupRecord } from '../format/backup-record';
import { writeGlobeProject } from './export-globe-project';
import { readGlobeProject } from './read-globe-project';
import { asAsync, byId, collect, GLOBE_APP_PROJECT, globeAppAccepts, locationsOf, sampleState, tempDir, writeJson } from './testing/foreign-fixtures';

const dir = tempDir();
beforeAll(dir.setUp);
afterAll(dir.tearDown);

const INFO = { datasetId: 'restored', datasetName: 'Restored project', now: '2025-04-04T04:04:04.000Z' };

async function readJsonFile(name: string, content: unknown): Promise<BackupRecord[]> {
  await (typeof content === 'string' ? writeFile(dir.path(name), content) : writeJson(dir.path(name), content));
  return collect(readGlobeProject(dir.path(name), INFO));
}

const kinds = (records: BackupRecord[]) => records.map((r) => r.t).sort();
const settingsOf = (records: BackupRecord[]) => records.find((r) => r.t === 'settings')!.v;
const datasetOf = (records: BackupRecord[]) => records.find((r) => r.t === 'dataset')!.v;

describe('readGlobeProject', () => {
  it('restores a Save Project file the Globe app wrote: every location, id and extra column intact', async () => {
    expect(globeAppAccepts(GLOBE_APP_PROJECT)).toBe(true);
    const records = await readJsonFile('globe-backup-2025-03-01.json', GLOBE_APP_PROJECT);
    expect(kinds(records)).toEqual(['dataset', 'location', 'location', 'location', 'settings']);
    expect(locationsOf(records)).toEqual([
      { id: 'a1b2c3', datasetId: 'restored', name: 'Tokyo', latitude: 35.6762, longitude: 139.6503, quantity: 37400068, created_at: '2025-02-27T09:15:00.000Z', updated_at: '2025-02-28T11:00:00.000Z', properties: { population: 37400068, country: 'Japan', is_capital: true } },
      { id: '1717171717', datasetId: 'restored', name: 'Delhi', latitude: 28.7041, longitude: 77.1025, quantity: 28514000, created_at: '2025-02-27T09:15:00.000Z', updated_at: '2025-02-27T09:15:00.000Z', properties: { population: 28514000, country: 'India', is_capital: false } },
      { id: 'd4e5f6', datasetId: 'restored', name: 'São Paulo', latitude: -23.5505, longitude: -46.6333, created_at: '2025-02-27T09:15:00.000Z', updated_at: '2025-02-27T09:15:00.000Z', properties: { population: null, country: 'Brazil', is_capital: false } },
    ]);
    expect(datasetOf(records)).toEqual({
      id: 'restored',
      name: 'Restored project',
      description: '',
      color: '#3b82f6',
      visible: true,
      source: { fileName: null, format: 'json' },
      columnMapping: { quantity: 'population' },
      created_at: '2025-03-01T10:00:00.000Z',
      updated_at: '2025-03-01T10:00:00.000Z',
    });
    expect(settingsOf(records)).toEqual({ ...DEFAULT_SETTINGS, ...GLOBE_APP_PROJECT.uiSettings });
  });

  it('reads a file saved with a byte order mark', async () => {
    const records = await readJsonFile('bom.json', '\ufeff' + JSON.stringify(GLOBE_APP_PROJECT));
    expect(locationsOf(records)).toHaveLength(3);
  });

  it('round-trips our export: locations (ids, names, coordinates, quantity, typed and nested properties, timestamps) and uiSettings', async () => {
    const state = sampleState();
    await writeGlobeProject(asAsync(state), createWriteStream(dir.path('round.json')), { timestamp: '2025-03-02T08:00:00.000Z', appVersion: '0.1.0' });
    const records = await collect(readGlobeProject(dir.path('round.json'), INFO));
    expect(byId(locationsOf(records))).toEqual(byId(locationsOf(state).map((l) => ({ ...l, datasetId: 'restored' }))));
    const exported = settingsOf(state);
    const restored = settingsOf(records);
    for (const key of ['drawerOpen', 'showQuantityVisualization', 'searchQuery', 'sortBy', 'sortOrder', 'filterBy'] as const) expect(restored[key]).toEqual(exported[key]);
    expect(restored.theme).toBe(DEFAULT_SETTINGS.theme);
  });

  it('gives locations without timestamps the metadata timestamp even when metadata comes after them', async () => {
    const location = { id: 'x', name: 'X', latitude: 1, longitude: 2 };
    const after = await readJsonFile('after.json', { locations: [location, { ...location, id: 'y', created_at: 'c', updated_at: 'u' }], uiSettings: {}, metadata: { timestamp: '2025-01-01T00:00:00.000Z' } });
    expect(byId(locationsOf(after)).map((l) => [l.id, l.created_at, l.updated_at])).toEqual([
      ['x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
      ['y', 'c', 'u'],
    ]);
    const before = await readJsonFile('before.json', { metadata: { timestamp: '2025-01-01T00:00:00.000Z' }, locations: [location] });
    expect(locationsOf(before)[0].created_at).toBe('2025-01-01T00:00:00.000Z');
    const none = await readJsonFile('none.json', { locations: [location], uiSettings: {} });
    expect(locationsOf(none)[0]).toMatchObject({ created_at: INFO.now, updated_at: INFO.now });
    expect(datasetOf(none).created_at).toBe(INFO.now);
  });

  it('keeps values it cannot hold in a named field as properties, and undoes our escaped names', async () => {
    const [location] = locationsOf(
      await readJsonFile('odd.json', {
        locations: [{ id: 7, name: 8, latitude: 1, longitude: 2, quantity: '12 t', created_at: 1700000000, updated_at: '', 'properties.name': 'shadow', 'properties.properties.id': 'deeper', properties: { a: 1 } }],
        columnMapping: { quantity: 'q', size: 3, bogus: 'x' },
        uiSettings: { sortBy: 'nonsense', filterBy: 'with_quantity', theme: 'dark', drawerOpen: 'yes' },
        metadata: { timestamp: '2025-01-01T00:00:00.000Z' },
      }),
    );
    expect(location).toEqual({
      id: '7',
      datasetId: 'restored',
      name: '8',
      latitude: 1,
      longitude: 2,
      created_at: '2025-01-01T00:00:00.000Z',
      updated_at: '2025-01-01T00:00:00.000Z',
      properties: { name: 'shadow', 'properties.id': 'deeper', properties: { a: 1 }, quantity: '12 t', created_at: 1700000000 },
    });
  });

  it('overlays only valid Globe UI keys, and maps only string channels of columnMapping', async () => {
    const records = await readJsonFile('ui.json', {
      locations: [],
      columnMapping: { quantity: 'q', size: 3, bogus: 'x', label: null },
      uiSettings: { sortBy: 'nonsense', filterBy: 'with_quantity', theme: 'dark', drawerOpen: 'yes', snapshotCron: '' },
    });
    expect(settingsOf(records)).toEqual({ ...DEFAULT_SETTINGS, filterBy: 'with_quantity' });
    expect(datasetOf(records).columnMapping).toEqual({ quantity: 'q' });
  });

  describe('refuses the whole file', () => {
    it('for a location that fails our schema, naming section, index, field and reason', async () => {
      const locations = [{ id: 'ok', name: 'A', latitude: 1, longitude: 2 }, { id: 'bad', name: 'B', latitude: 91, longitude: 2 }];
      const reading = readJsonFile('invalid.json', { locations, uiSettings: {} });
      await expect(reading).rejects.toMatchObject({ code: 'BACKUP.FOREIGN_RECORD_INVALID', status: 400, details: { section: 'locations', index: 1, path: 'latitude' } });
      await expect(reading).rejects.toThrow(/locations\[1\] is invalid at latitude/);
    });

    it.each([
      ['without an id', { name: 'A', latitude: 1, longitude: 2 }, 'id'],
      ['without coordinates', { id: 'a', name: 'A', latitude: '1', longitude: 2 }, 'latitude'],
      ['that is not an object', 'Paris', ''],
    ])('for a location %s', async (_case, location, path) => {
      await expect(readJsonFile('bad-location.json', { locations: [location], uiSettings: {} })).rejects.toMatchObject({
        code: 'BACKUP.FOREIGN_RECORD_INVALID',
        details: { section: 'locations', index: 0, path },
      });
    });

    it.each([
      ['malformed JSON', '{"locations": [{"id": "a"},, ], "uiSettings": {}}'],
      ['a truncated file', '{"locations": [{"id": "a", "name": "A", "latitude": 1, "longitude": 2}'],
      ['not an object', '[1, 2]'],
      ['no locations', '{"uiSettings": {}, "columnMapping": {}}'],
      ['locations not an array', '{"locations": {"a": 1}, "uiSettings": {}}'],
      ['uiSettings not an object', '{"locations": [], "uiSettings": []}'],
      ['locations twice', '{"locations": [], "uiSettings": {}, "locations": []}'],
      ['a __proto__ key', '{"locations": [{"id": "a", "name": "A", "latitude": 1, "longitude": 2, "__proto__": {"x": 1}}], "uiSettings": {}}'],
      ['CSV', 'id,name\n1,A\n'],
    ])('for %s', async (_case, content) => {
      await expect(readJsonFile('malformed.json', content)).rejects.toMatchObject({ code: 'BACKUP.FOREIGN_MALFORMED', status: 400 });
    });

    it('says where malformed JSON was met', async () => {
      const content = '{"locations": [{"id": "a", "name": "A", "latitude": 1, "longitude": 2}, {"id": "b", "name": nope}], "uiSettings": {}}';
      await expect(readJsonFile('where.json', content)).rejects.toMatchObject({ code: 'BACKUP.FOREIGN_MALFORMED', details: { section: 'locations', index: 1 } });
    });
  });
});
