import { join } from 'node:path';
import { BackupView } from '../backups/catalog/backup-view';
import { LocalBackupStorage } from '../backups/storage/local-backup-storage';
import { ManualClock } from '../common/clock';
import { SqliteEventStore } from '../events/sqlite/sqlite-event-store';
import { collect, location, locationsAdded, tempDir } from '../../test/support/event-fixtures';
import { listSegments } from './archive-catalog';
import { ArchiveCursor } from './archive-cursor';
import { ServerArchiveEncryption } from './archive-encryption';
import { ArchiveHistory, emptyReading } from './archive-history';
import { pruneSegments, retentionBase } from './archive-retention';
import { Archiver } from './archiver';
import { StorageArchiveStore } from './storage-archive-store';

const backup = (headPosition: number, over: Partial<BackupView> = {}): BackupView =>
  ({
    id: `b-${headPosition}`,
    headPosition,
    includesHistory: true,
    encrypted: false,
    keyId: null,
    copies: [{ storage: 's3://bucket/globe', state: 'verified', size: 1, verifiedAt: null, attempts: 0, nextAttemptAt: null, lastError: null }],
    ...over,
  }) as BackupView;

describe('archive retention follows backup retention', () => {
  it('leans only on the oldest kept backup, and only when a restore from the storage alone can start from it', () => {
    const opens = (b: BackupView) => !b.encrypted;
    expect(retentionBase([], opens)).toBeNull();
    expect(retentionBase([backup(90), backup(40), backup(70)], opens)?.headPosition).toBe(40);
    // The oldest cannot be a base: the points after it need the archive from position 1, so nothing goes.
    expect(retentionBase([backup(90), backup(40, { includesHistory: false })], opens)).toBeNull();
    expect(retentionBase([backup(90), backup(40, { encrypted: true })], opens)).toBeNull();
    const onThisDisk = backup(40, { copies: [{ ...backup(1).copies[0], storage: 'file:/var/backups' }] });
    expect(retentionBase([backup(90), onThisDisk], opens)).toBeNull();
    const pending = backup(40, { copies: [{ ...backup(1).copies[0], state: 'pending' }] });
    expect(retentionBase([backup(90), pending], opens)).toBeNull();
  });

  it('segments up to the floor go; every position after it stays readable, chained to the backup head, and merges go on', async () => {
    const dir = tempDir('gv-retention-');
    const clock = new ManualClock('2026-05-01T10:00:00.000Z');
    const log = new SqliteEventStore(join(dir.dir, 'events.sqlite'), clock);
    const store = new StorageArchiveStore(new LocalBackupStorage(join(dir.dir, 'store')));
    const encryption = new ServerArchiveEncryption(undefined);
    const floor = 7;
    const archiver = new Archiver(log, store, encryption, new ArchiveCursor(join(dir.dir, 'cursor.json')), clock, {
      intervalMs: 60_000,
      segmentBytes: 1024 * 1024,
      tmpDir: dir.dir,
      retention: async (epoch, archived) => {
        await pruneSegments(store, epoch, Math.min(archived, floor));
        return Math.min(archived, floor);
      },
    });
    try {
      for (let i = 0; i < 15; i++) {
        clock.advance(1000);
        await log.append('dataset-1', [locationsAdded('1', [location(`l-${i}`)])]);
        clock.advance(19_000);
        await archiver.flush();
      }
      const kept = await listSegments(store);
      // Health's oldest restorable point is now the kept backup's head.
      const [atFloor] = await collect(log.readAll({ fromPosition: floor, limit: 1 }));
      expect((await archiver.status()).restorable.oldest).toBe(atFloor.recordedAt);
      expect(kept.every((s) => s.to > floor)).toBe(true);
      expect(kept[0].from).toBeLessThanOrEqual(floor + 1);
      const history = new ArchiveHistory(store, encryption);
      const head = (await log.chainHeadAt(floor))!;
      const [source] = await history.sourcesAfter({ ...head, recordedAt: null });
      expect(await history.continues(source)).toBe(true);
      const foreign = { ...source, after: { ...source.after, hash: 'f'.repeat(64) } };
      expect(await history.continues(foreign)).toBe(false);
      // Read anyway, a history that does not continue the one before it stops at its first object, named.
      await expect(collect(history.events(foreign, { position: 15 }, emptyReading()))).rejects.toMatchObject({
        code: 'ARCHIVE.CHAIN_MISMATCH',
        details: { key: source.chain[0].key, newestReachable: { position: floor } },
      });
      const after = await collect(history.events(source, { position: 15 }, emptyReading()));
      expect(after).toEqual(await collect(log.readAll({ fromPosition: floor + 1 })));
      // An hour later what is left merges into an hour segment, from the first position still held.
      clock.advance(3_661_000);
      await archiver.flush();
      clock.advance(61_000);
      await archiver.flush();
      expect((await listSegments(store)).map((s) => s.level)).toEqual([2]);
    } finally {
      await archiver.stop();
      await log.close();
      dir.cleanup();
    }
  });
});
