import { join } from 'node:path';
import { ManualClock } from '../common/clock';
import { SqliteEventStore } from '../events/sqlite/sqlite-event-store';
import { asAsync, collect, location, locationsAdded, settingsChanged, tempDir } from '../../test/support/event-fixtures';
import { LocalBackupStorage } from '../backups/storage/local-backup-storage';
import { listSegments } from './archive-catalog';
import { ArchiveCursor } from './archive-cursor';
import { ServerArchiveEncryption } from './archive-encryption';
import { Archiver } from './archiver';
import { Follower } from './follower';
import { claimKey } from './segment-key';
import { sealSegment } from './segment-writer';
import { StorageArchiveStore } from './storage-archive-store';

/**
 * The follower against a real folder store and real logs: what it applies, what it refuses to
 * apply (an old epoch once a newer one is claimed; a history its log is not a prefix of), and that
 * a refusal leaves its log as it was.
 */
describe('Follower', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let writer: SqliteEventStore;
  let replica: SqliteEventStore;
  let store: StorageArchiveStore;
  let archiver: Archiver;
  const clear = new ServerArchiveEncryption(undefined);
  const follower = () => new Follower(replica, store, clear, clock, { intervalMs: 1000 });
  const write = async (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(1000);
      await writer.append('dataset-1', [locationsAdded('1', [location(`l-${clock.now()}`)])]);
    }
  };

  beforeEach(() => {
    dir = tempDir('gv-follower-');
    clock = new ManualClock('2026-05-01T10:00:00.000Z');
    writer = new SqliteEventStore(join(dir.dir, 'writer.sqlite'), clock);
    replica = new SqliteEventStore(join(dir.dir, 'replica.sqlite'), clock);
    store = new StorageArchiveStore(new LocalBackupStorage(join(dir.dir, 'store')));
    archiver = new Archiver(writer, store, clear, new ArchiveCursor(join(dir.dir, 'cursor.json')), clock, { intervalMs: 60_000, segmentBytes: 1024 ** 2, tmpDir: dir.dir });
  });
  afterEach(async () => {
    await archiver.stop();
    await Promise.all([writer.close(), replica.close()]);
    dir.cleanup();
  });

  it('applies the segments past its head, keeping positions, times and the hash chain, and reports its lag', async () => {
    const f = follower();
    expect(await f.catchUp()).toEqual({ epoch: null, position: 0 });
    await write(3);
    await archiver.flush();
    await write(2);
    await archiver.flush();
    expect(await f.catchUp()).toEqual({ epoch: 1, position: 5 });
    expect(await collect(replica.readAll())).toEqual(await collect(writer.readAll()));
    expect(await replica.chainHeadAt(5)).toEqual(await writer.chainHeadAt(5));
    expect(f.status()).toMatchObject({ epoch: 1, appliedPosition: 5, archivedPosition: 5, lag: { positions: 0, seconds: 0 }, lastError: null });
  });

  it('applies nothing more of an epoch once a newer one is claimed, and waits for its segments', async () => {
    await write(2);
    await archiver.flush();
    const f = follower();
    await f.catchUp();
    await store.put(claimKey(2, '01900000-0000-7000-8000-000000000000'), Buffer.from('{}\n'));
    // What a stale epoch-1 writer uploads after the claim: never applied.
    await write(1);
    const stale = (await sealSegment(writer.readAll({ fromPosition: 3 }), { epoch: 1, level: 0 }, clear, dir.dir))!;
    await store.put(stale.key, stale.body());
    await stale.discard();
    expect(await f.catchUp()).toEqual({ epoch: 1, position: 2 });
    expect(f.status()).toMatchObject({ waitingForEpoch: 2, appliedPosition: 2 });
  });

  it('refuses, applying nothing, a history its log is not a prefix of (FOLLOWER.DIVERGED)', async () => {
    await write(2);
    await archiver.flush();
    await replica.adoptHistory(asAsync((await collect(writer.readAll())).slice(0, 1)));
    await replica.append('settings', [settingsChanged({ theme: 'dark' })]);
    const f = follower();
    await write(1);
    await archiver.flush();
    expect((await listSegments(store)).map((s) => [s.from, s.to])).toEqual([
      [1, 2],
      [3, 3],
    ]);
    await expect(f.catchUp()).rejects.toMatchObject({ code: 'FOLLOWER.DIVERGED', details: { epoch: 1, position: 3 } });
    expect(await replica.headPosition()).toBe(2);
  });
});
