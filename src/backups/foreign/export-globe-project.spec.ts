import { PassThrough, Writable } from 'node:stream';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { BackupRecord } from '../format/backup-record';
import { writeGlobeProject } from './export-globe-project';
import { asAsync, globeAppAccepts, location, sampleState } from './testing/foreign-fixtures';

const INFO = { timestamp: '2025-03-02T08:00:00.000Z', appVersion: '0.1.0' };

async function exportText(records: BackupRecord[], info: Parameters<typeof writeGlobeProject>[2] = INFO) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await writeGlobeProject(asAsync(records), out, info);
  return { result, text: Buffer.concat(chunks).toString('utf8') };
}

describe('writeGlobeProject', () => {
  it("writes the Save Project shape the Globe app's checks accept", async () => {
    const { result, text } = await exportText(sampleState());
    const project = JSON.parse(text);
    expect(Object.keys(project)).toEqual(['locations', 'columnMapping', 'uiSettings', 'metadata']);
    expect(globeAppAccepts(project)).toBe(true);
    expect(result).toEqual({ recordCount: 3 });
    expect(project.metadata).toEqual({ timestamp: INFO.timestamp, version: '1.0', recordCount: 3, appVersion: '0.1.0' });
    expect(project.uiSettings).toEqual({ drawerOpen: true, showQuantityVisualization: true, searchQuery: 'port', sortBy: 'updated_at', sortOrder: 'desc', filterBy: 'all' });
  });

  it('flattens each location: named fields first, then every property as a member, clashing names escaped', async () => {
    const { text } = await exportText(sampleState());
    const [paris, sydney, zurich] = JSON.parse(text).locations;
    expect(Object.keys(paris)).toEqual(['id', 'name', 'latitude', 'longitude', 'quantity', 'created_at', 'updated_at', 'country', 'is_capital', 'rank', 'note', 'tags', 'nested']);
    expect(paris).toMatchObject({ id: 'loc-1', quantity: 2_100_000, is_capital: true, note: null, nested: { deep: { x: 1.5 } } });
    expect(sydney).toEqual({
      id: 'loc-2',
      name: 'Quote "and", comma\nnewline',
      latitude: -33.8688,
      longitude: 151.2093,
      created_at: '2024-01-02T03:04:05.006Z',
      updated_at: '2024-05-01T12:00:00.000Z',
      country: 'AU',
      'properties.name': 'the name column',
      'properties.id': 'source-id',
      'properties.properties.name': 'literally',
      zip: '02134',
      empty: '',
    });
    expect(zurich).toMatchObject({ name: 'Zürich 東京 🚢', quantity: 0, datasetId: 'as a property', big: 1e21 });
    expect(zurich).not.toHaveProperty('properties');
  });

  it("takes columnMapping from the one exported dataset, as the Globe app's mapping, and is {} for several", async () => {
    expect(JSON.parse((await exportText(sampleState(), { ...INFO, datasetId: 'ds-1' })).text).columnMapping).toEqual({ quantity: 'population' });
    expect(JSON.parse((await exportText(sampleState(), { ...INFO, datasetId: 'ds-2' })).text).columnMapping).toEqual({ color: 'kind' });
    expect(JSON.parse((await exportText(sampleState())).text).columnMapping).toEqual({});
  });

  it('exports one dataset with datasetId', async () => {
    const { result, text } = await exportText(sampleState(), { ...INFO, datasetId: 'ds-1' });
    const project = JSON.parse(text);
    expect(project.locations.map((l: { id: string }) => l.id)).toEqual(['loc-1', 'loc-2']);
    expect(result.recordCount).toBe(2);
    expect(project.metadata.recordCount).toBe(2);
  });

  it('writes an empty project, with default uiSettings, from no records', async () => {
    const { text } = await exportText([]);
    const project = JSON.parse(text);
    expect(globeAppAccepts(project)).toBe(true);
    expect(project.locations).toEqual([]);
    expect(project.uiSettings.sortBy).toBe(DEFAULT_SETTINGS.sortBy);
  });

  it('waits for drain: a slow destination never holds more than its buffer and one batch', async () => {
    const records = (function* () {
      for (let i = 0; i < 20_000; i++) yield location(`id-${i}`, 'ds', `Place ${i}`, 1, 2, i, { filler: 'x'.repeat(50) });
    })();
    let peak = 0;
    let bytes = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        setImmediate(done);
      },
    });
    const watch = setInterval(() => (peak = Math.max(peak, slow.writableLength)), 0);
    try {
      await writeGlobeProject(asAsync(records), slow, INFO);
    } finally {
      clearInterval(watch);
    }
    expect(bytes).toBeGreaterThan(2_000_000);
    expect(peak).toBeLessThan(200 * 1024);
  });

  it('destroys the output when the records fail, and rethrows', async () => {
    const failing = (async function* (): AsyncGenerator<BackupRecord> {
      yield location('a', 'ds', 'A', 1, 2, undefined, {});
      throw new Error('state reader failed');
    })();
    const out = new PassThrough();
    out.resume();
    await expect(writeGlobeProject(failing, out, INFO)).rejects.toThrow('state reader failed');
    expect(out.destroyed).toBe(true);
  });
});
