import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../common/clock';
import { SqliteEventStore } from '../events/sqlite/sqlite-event-store';
import { collect, location, locationsAdded, tempDir } from '../../test/support/event-fixtures';
import { LocalBackupStorage } from '../backups/storage/local-backup-storage';
import { ArchiveEncryption, ServerArchiveEncryption } from './archive-encryption';
import { readSegmentEvents } from './segment-reader';
import { IN_MEMORY_CONTENT_BYTES, sealSegment } from './segment-writer';
import { StorageArchiveStore } from './storage-archive-store';

/**
 * A segment sealed in memory (content up to IN_MEMORY_CONTENT_BYTES) and one sealed through
 * temporary files (past it) are the same format: each reads back as the log, in clear and
 * encrypted, and the in-memory one leaves no file behind.
 */
describe('sealSegment', () => {
  let dir: ReturnType<typeof tempDir>;
  let log: SqliteEventStore;
  let store: StorageArchiveStore;

  beforeAll(async () => {
    dir = tempDir('gv-segment-');
    log = new SqliteEventStore(join(dir.dir, 'events.sqlite'), new ManualClock('2026-05-01T10:00:00.000Z'));
    store = new StorageArchiveStore(new LocalBackupStorage(join(dir.dir, 'store')));
    // ~1.5 MiB of content: past the in-memory size.
    const big = 'x'.repeat(500);
    for (let batch = 0; batch < 6; batch++) {
      await log.append(
        'dataset-1',
        Array.from({ length: 500 }, (_, i) => locationsAdded('1', [location(`l-${batch}-${i}`, { properties: { big } })])),
      );
    }
  });
  afterAll(async () => {
    await log.close();
    dir.cleanup();
  });

  const cases: [string, ArchiveEncryption][] = [
    ['in clear', new ServerArchiveEncryption(undefined)],
    ['encrypted', new ServerArchiveEncryption('correct horse battery')],
  ];
  it.each(cases)('%s: a small segment (in memory) and a large one (temporary files) both read back as the log', async (_name, encryption) => {
    const scratch = tempDir('gv-segment-tmp-');
    try {
      for (const to of [20, 3000]) {
        const sealed = await sealSegment(log.readAll({ toPosition: to }), { epoch: 7, level: 0 }, encryption, scratch.dir);
        expect(sealed!.header.contentBytes > IN_MEMORY_CONTENT_BYTES).toBe(to === 3000);
        expect(!!sealed!.buffer).toBe(to === 20);
        if (to === 20) expect(readdirSync(scratch.dir)).toEqual([]);
        await store.put(sealed!.key, sealed!.buffer ?? sealed!.body());
        await sealed!.discard();
        expect(await collect(readSegmentEvents(store, sealed!.key, encryption))).toEqual(await collect(log.readAll({ toPosition: to })));
      }
      expect(readdirSync(scratch.dir)).toEqual([]);
    } finally {
      scratch.cleanup();
    }
  }, 60_000);
});
