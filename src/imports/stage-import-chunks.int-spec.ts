import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../common/clock';
import { preparedEvent } from '../events/serialize-new-event';
import { SqliteEventStore } from '../events/sqlite/sqlite-event-store';
import { collect, tempDir, testMetadata } from '../../test/support/event-fixtures';
import { StageChunksInput, stageImportChunks } from './stage-import-chunks';

describe('stageImportChunks', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  function input(csv: string): StageChunksInput {
    const uploadPath = join(dir.dir, 'upload.csv');
    writeFileSync(uploadPath, csv);
    let n = 0;
    return {
      datasetId: 'ds-1',
      uploadPath,
      uploadBytes: Buffer.byteLength(csv),
      format: 'csv',
      options: { skipInvalidRows: true, duplicateHandling: 'skip', encoding: 'utf-8' },
      chunkPath: join(dir.dir, 'upload.csv.chunks'),
      now: '2026-03-01T10:00:00.000Z',
      newId: () => `minted-${n++}`,
      existingIds: async () => new Set(),
      onProgress: () => undefined,
      throwIfCancelled: () => undefined,
    };
  }

  const rows = (count: number) =>
    ['id,name,lat,lng,population', ...Array.from({ length: count }, (_, i) => `${i % 3 === 0 ? `given-${i}` : ''},Place ${i},${i % 90},${i % 180},${i}`)].join('\n');

  it('stages each chunk as its LocationsAdded data, validated and serialized, which appends as the same event a plain one would', async () => {
    const staged = input(rows(2500));
    const report = await stageImportChunks(staged);
    expect(report).toMatchObject({ rowsRead: 2500, locations: 2500, invalidRows: 0, chunkSizes: [1000, 1000, 500] });

    const lines = readFileSync(staged.chunkPath, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    const chunks = lines.map((line) => JSON.parse(line));
    expect(chunks.map((c) => c.datasetId)).toEqual(['ds-1', 'ds-1', 'ds-1']);
    expect(chunks.map((c) => c.locations.length)).toEqual(report.chunkSizes);
    expect(chunks[0].locations[0]).toEqual({
      id: 'given-0',
      name: 'Place 0',
      latitude: 0,
      longitude: 0,
      properties: { population: 0 },
      created_at: staged.now,
      updated_at: staged.now,
    });
    expect(chunks[0].locations[1].id).toBe('minted-0');

    // The prepared lines and the same data appended as plain events store the same bytes.
    const file = join(dir.dir, 'events.sqlite');
    const store = new SqliteEventStore(file, new ManualClock('2026-03-01T10:00:00.000Z'));
    try {
      const metadata = testMetadata();
      await store.append('prepared', lines.map((line) => preparedEvent('LocationsAdded', line, metadata)));
      await store.append('plain', chunks.map((data) => ({ type: 'LocationsAdded' as const, data, metadata })));
      const stored = new Database(file, { readonly: true }).prepare('SELECT stream, data FROM events ORDER BY position').all() as { stream: string; data: string }[];
      expect(stored.filter((r) => r.stream === 'prepared').map((r) => r.data)).toEqual(lines);
      expect(stored.filter((r) => r.stream === 'plain').map((r) => r.data)).toEqual(lines);
      const read = await collect(store.readAll());
      expect(read.slice(0, 3).map((e) => e.data)).toEqual(read.slice(3).map((e) => e.data));
    } finally {
      await store.close();
    }
  });

  it('fails a chunk the event schema refuses while staging, with the error the append would have thrown', async () => {
    await expect(stageImportChunks(input(`name,lat,lng\n${'x'.repeat(1001)},1,2\n`))).rejects.toMatchObject({ code: 'EVENTS.INVALID_EVENT' });
  });
});
