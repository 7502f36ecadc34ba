import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { BackupRecord } from '../format/backup-record';
import { writeBackupData } from './export-backup-data';
import { asAsync, exportToFile, location, sampleState, tempDir } from './testing/foreign-fixtures';

const INFO = { timestamp: '2025-03-02T08:00:00.000Z', appVersion: '0.1.0' };
const dir = tempDir();
beforeAll(dir.setUp);
afterAll(dir.tearDown);

async function exportDocument(records: BackupRecord[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeBackupData(asAsync(records), out, INFO);
  return Buffer.concat(chunks);
}

const exportFile = (name: string, records: BackupRecord[], info: Parameters<typeof writeBackupData>[2] = INFO) =>
  exportToFile(dir.path(name), (out) => writeBackupData(asAsync(records), out, info));

describe('writeBackupData', () => {
  it('writes the BackupData document: our records as they are, metadata last', async () => {
    const state = sampleState();
    const { result, text } = await exportFile('all.json', state);
    const document = JSON.parse(text);
    expect(Object.keys(document)).toEqual(['version', 'timestamp', 'datasets', 'locations', 'settings', 'configurations', 'metadata']);
    expect(document.version).toBe('1.0');
    expect(document.timestamp).toBe(INFO.timestamp);
    const values = (t: string) => state.filter((r) => r.t === t).map((r) => r.v);
    expect(document.datasets).toEqual(values('dataset'));
    expect(document.locations).toEqual(values('location'));
    expect(Object.keys(document.locations[0])).toEqual(['id', 'datasetId', 'name', 'latitude', 'longitude', 'quantity', 'properties', 'created_at', 'updated_at']);
    expect(document.settings).toEqual(values('settings')[0]);
    expect(document.configurations).toEqual(values('configuration'));
    expect(document.metadata).toEqual({ totalLocations: 3, totalDatasets: 2, totalConfigurations: 2, appVersion: '0.1.0', totalSize: result.totalSize });
    expect(result.totalLocations).toBe(3);
  });

  it.each([0, 1, 7, 120])('states the exact byte size of the whole document in metadata.totalSize (%i locations)', async (count) => {
    const records = Array.from({ length: count }, (_, i) => location(`l${i}`, 'ds', `Ort ${i} ü`, 1, 2, i, { k: 'v'.repeat(i) }));
    const path = dir.path(`size-${count}.json`);
    const { result, text } = await exportFile(`size-${count}.json`, records);
    const { size } = await stat(path);
    expect(result.totalSize).toBe(size);
    expect(JSON.parse(text).metadata.totalSize).toBe(size);
  });

  it('counts its own digits: exact where the size crosses 1000 bytes', async () => {
    const base = (await exportDocument([location('l', 'ds', 'x', 1, 2, undefined, { k: '' })])).length;
    expect(base).toBeLessThan(1000);
    for (let pad = 0; pad < 1000 - base + 20; pad++) {
      const bytes = await exportDocument([location('l', 'ds', 'x', 1, 2, undefined, { k: 'p'.repeat(pad) })]);
      expect(JSON.parse(bytes.toString('utf8')).metadata.totalSize).toBe(bytes.length);
    }
  });

  it('writes every section even when its records never come, settings as DEFAULT_SETTINGS', async () => {
    const { text } = await exportFile('empty.json', []);
    expect(JSON.parse(text)).toMatchObject({ datasets: [], locations: [], settings: DEFAULT_SETTINGS, configurations: [], metadata: { totalLocations: 0 } });
  });

  it('exports one dataset and its locations with datasetId, and the app-wide settings and configurations', async () => {
    const { text } = await exportFile('one.json', sampleState(), { ...INFO, datasetId: 'ds-2' });
    const document = JSON.parse(text);
    expect(document.datasets.map((d: { id: string }) => d.id)).toEqual(['ds-2']);
    expect(document.locations.map((l: { id: string }) => l.id)).toEqual(['loc-3']);
    expect(document.configurations).toHaveLength(2);
    expect(document.metadata).toMatchObject({ totalLocations: 1, totalDatasets: 1 });
  });

  it('refuses records out of backup order, and a second settings record', async () => {
    const state = sampleState();
    const [dataset, , firstLocation] = state;
    await expect(exportFile('order.json', [firstLocation, dataset])).rejects.toMatchObject({ code: 'BACKUP.RECORD_NOT_WRITABLE', status: 500 });
    const settings = state.find((r) => r.t === 'settings')!;
    await expect(exportFile('twice.json', [settings, settings])).rejects.toMatchObject({ code: 'BACKUP.RECORD_NOT_WRITABLE' });
  });
});
