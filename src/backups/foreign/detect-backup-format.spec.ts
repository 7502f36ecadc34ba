import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { detectBackupFormat } from './detect-backup-format';
import { writeBackupData } from './export-backup-data';
import { writeGlobeProject } from './export-globe-project';
import { asAsync, GLOBE_APP_PROJECT, sampleState, tempDir, writeJson } from './testing/foreign-fixtures';

const dir = tempDir();
beforeAll(dir.setUp);
afterAll(dir.tearDown);

const INFO = { timestamp: '2025-03-02T08:00:00.000Z', appVersion: '0.1.0' };

async function detectText(name: string, content: string | Buffer) {
  await writeFile(dir.path(name), content);
  return detectBackupFormat(dir.path(name));
}

describe('detectBackupFormat', () => {
  it('knows a native backup by its first line', async () => {
    expect(await detectText('native.gvb', Buffer.concat([Buffer.from('GLOBE-VAULT-BACKUP\n{"format":1}\n'), Buffer.alloc(64, 0x8b)]))).toBe('native');
    expect(await detectText('near.gvb', 'GLOBE-VAULT-BACKUP2\n{}\n')).toBeNull();
    expect(await detectText('short.gvb', 'GLOBE-VAULT')).toBeNull();
  });

  it("knows the Globe app's Save Project file, and ours", async () => {
    await writeJson(dir.path('globe-app.json'), GLOBE_APP_PROJECT);
    expect(await detectBackupFormat(dir.path('globe-app.json'))).toBe('globe-project');
    await writeGlobeProject(asAsync(sampleState()), createWriteStream(dir.path('ours-globe.json')), INFO);
    expect(await detectBackupFormat(dir.path('ours-globe.json'))).toBe('globe-project');
    expect(await detectText('mapping-only.json', '{"locations": [], "columnMapping": {}}')).toBe('globe-project');
    expect(await detectText('bom.json', '\ufeff{"locations": [], "uiSettings": {}}')).toBe('globe-project');
  });

  it('knows a BackupData document: ours, and the shapes the request describes', async () => {
    await writeBackupData(asAsync(sampleState()), createWriteStream(dir.path('ours-data.json')), INFO);
    expect(await detectBackupFormat(dir.path('ours-data.json'))).toBe('backup-data');
    const requestShape = {
      version: '1.0',
      timestamp: '2025-01-01T00:00:00.000Z',
      metadata: { totalLocations: 1, totalSize: 100, appVersion: '1.2.0' },
      locations: [{ id: 'a', name: 'A', latitude: 1, longitude: 2 }],
    };
    await writeJson(dir.path('request.json'), requestShape);
    expect(await detectBackupFormat(dir.path('request.json'))).toBe('backup-data');
    expect(await detectText('settings.json', '{"locations": [], "settings": {"theme": "dark"}}')).toBe('backup-data');
    expect(await detectText('configurations.json', '{"configurations": [], "locations": []}')).toBe('backup-data');
    expect(await detectText('metadata-first.json', '{"metadata": {"nested": {"x": [1]}, "totalLocations": 0}, "timestamp": "t", "version": "1.0", "locations": []}')).toBe(
      'backup-data',
    );
  });

  it.each([
    ['a bare array', '[{"name": "Paris", "lat": 48.85, "lng": 2.35}]'],
    ['a Globe export without a project', '{"data": [{"name": "Paris"}]}'],
    ['locations and metadata only', '{"locations": [], "metadata": {"timestamp": "t", "version": "1.0", "recordCount": 0}}'],
    ['version and timestamp alone', '{"version": "1.0", "timestamp": "t", "locations": []}'],
    ['totalLocations that is not a number', '{"version": "1.0", "timestamp": "t", "metadata": {"totalLocations": "1"}}'],
    ['totalLocations nested deeper', '{"version": "1.0", "timestamp": "t", "metadata": {"x": {"totalLocations": 1}}}'],
    ['uiSettings that is not an object', '{"uiSettings": "dark", "locations": []}'],
    ['a GeoJSON collection', '{"type": "FeatureCollection", "features": []}'],
    ['CSV', 'id,name,latitude,longitude\n1,Paris,48.85,2.35\n'],
    ['an empty file', ''],
    ['a JSON string', '"uiSettings"'],
    ['malformed JSON', '{"locations": [1, 2,, 3], "uiSettings": {}}'],
  ])('is null for %s', async (_case, content) => {
    expect(await detectText('junk.json', content)).toBeNull();
  });

  it('is null for binary', async () => {
    expect(await detectText('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBeNull();
    expect(await detectText('gzip.gz', Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]))).toBeNull();
  });

  it('decides at the first member that settles it, without reading the rest', async () => {
    expect(await detectText('early.json', '{"uiSettings": {}, "locations": [1, 2,, broken')).toBe('globe-project');
  });

  it('rejects a file it cannot open with the I/O error', async () => {
    await expect(detectBackupFormat(dir.path('missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
