import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../common/clock';
import { SqliteEventStore } from '../events/sqlite/sqlite-event-store';
import { RecordedEvent } from '../events/event-store';
import { collect, location, locationsAdded, settingsChanged, tempDir } from '../../test/support/event-fixtures';
import { ArchiveCursor } from './archive-cursor';
import { ArchiveEncryption, ServerArchiveEncryption } from './archive-encryption';
import { BrokenEncryption, FlakyFolderStore } from '../../test/support/archive-doubles';
import { ArchiveHistory, emptyReading } from './archive-history';
import { listSegments } from './archive-catalog';
import { Archiver } from './archiver';
import { readSegmentHeader } from './segment-reader';

describe('Archiver', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let log: SqliteEventStore;
  let store: FlakyFolderStore;
  const clear = new ServerArchiveEncryption(undefined);
  const archivers: Archiver[] = [];

  const archiver = (options: { encryption?: ArchiveEncryption; segmentBytes?: number; cursor?: string } = {}) => {
    const a = new Archiver(log, store, options.encryption ?? clear, new ArchiveCursor(join(dir.dir, options.cursor ?? 'cursor.json')), clock, {
      intervalMs: 60_000,
      segmentBytes: options.segmentBytes ?? 1024 * 1024,
      tmpDir: dir.dir,
    });
    archivers.push(a);
    return a;
  };
  const write = async (n: number, stream = 'dataset-1') => {
    for (let i = 0; i < n; i++) {
      clock.advance(1000);
      await log.append(stream, [locationsAdded('1', [location(`${stream}-${i}`, { properties: { i } })])]);
    }
  };
  const archived = async (encryption: ArchiveEncryption = clear, target: { at: string } | { position: number } = { at: '2100-01-01T00:00:00.000Z' }) => {
    const history = new ArchiveHistory(store, encryption);
    const source = await history.sourceFor(target);
    return collect(history.events(source, target, emptyReading()));
  };
  const positionsOf = (events: RecordedEvent[]) => events.map((e) => e.position);

  beforeEach(() => {
    dir = tempDir('gv-archive-');
    clock = new ManualClock('2026-05-01T10:00:00.000Z');
    log = new SqliteEventStore(join(dir.dir, 'events.sqlite'), clock);
    store = new FlakyFolderStore(join(dir.dir, 'store'));
  });
  afterEach(async () => {
    for (const a of archivers.splice(0)) await a.stop();
    await log.close();
    dir.cleanup();
  });

  it('ships the log as range-named segments that read back as the log itself, and asks nothing of the store when idle', async () => {
    const a = archiver();
    await write(3);
    await a.flush();
    await log.append('settings', [settingsChanged({ theme: 'dark' })]);
    await write(2, 'dataset-2');
    await a.flush();
    const keys = (await listSegments(store)).map((s) => s.key);
    expect(keys).toEqual([
      'archive/00000001/00000000000000000001-00000000000000000003.gvseg',
      'archive/00000001/00000000000000000004-00000000000000000006.gvseg',
    ]);
    expect(await archived()).toEqual(await collect(log.readAll()));
    // Each segment's header names the log's chain head at its last position.
    for (const [key, to] of [[keys[0], 3], [keys[1], 6]] as const) {
      const head = await log.chainHeadAt(to);
      expect(head?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect((await readSegmentHeader(store, key)).chainHead).toBe(head!.hash);
    }
    expect(await a.status()).toMatchObject({ epoch: 1, archivedPosition: 6, headPosition: 6, lag: { positions: 0, seconds: 0 }, uploads: 2, lastError: null });

    const before = store.requests;
    await a.flush();
    await a.flush();
    expect(store.requests).toBe(before);
  });

  it('started, ships an append at once after a quiet interval, then makes at most one round of uploads per interval; each round is timed', async () => {
    const a = archiver(); // interval 60 s: without the append's wake-up, nothing would ship before the test's timeout
    a.start();
    await write(1);
    while ((await a.status()).archivedPosition < 1) await new Promise((r) => setTimeout(r, 20));
    const afterFirst = store.requests;
    // Within the same interval: the next round waits for it (its timer), whatever the appends.
    await write(2);
    await new Promise((r) => setTimeout(r, 300));
    const status = await a.status();
    expect(status).toMatchObject({ archivedPosition: 1, headPosition: 3, uploads: 1 });
    expect(store.requests).toBe(afterFirst);
    expect(status.steps.rounds).toBe(1);
    const last = status.steps.last!;
    for (const step of ['fence', 'read', 'seal', 'upload', 'ack'] as const) expect(last[step]).toBeGreaterThan(0);
    expect(last.total).toBeGreaterThanOrEqual(last.fence + last.read + last.seal + last.upload + last.ack - 0.5);
    await a.flush();
    expect(await a.status()).toMatchObject({ archivedPosition: 3, uploads: 2, steps: { rounds: 2 } });
  }, 30_000);

  it('seals past the size threshold into consecutive segments, no position missing or twice', async () => {
    const a = archiver({ segmentBytes: 1024 });
    await write(12);
    await a.flush();
    const segments = await listSegments(store);
    expect(segments.length).toBeGreaterThan(3);
    segments.forEach((s, i) => expect(s.from).toBe(i === 0 ? 1 : segments[i - 1].to + 1));
    expect(segments.at(-1)!.to).toBe(12);
    expect(positionsOf(await archived())).toEqual([...Array(12).keys()].map((i) => i + 1));
  });

  it('encrypts with the passphrase (the same range sealed again is the same bytes) and refuses another passphrase', async () => {
    const encryption = new ServerArchiveEncryption('correct horse battery');
    const a = archiver({ encryption });
    await write(2);
    await a.flush();
    const [segment] = await listSegments(store);
    const bytes = readFileSync(join(dir.dir, 'store', segment.key));
    expect(bytes.includes(Buffer.from('dataset-1-0'))).toBe(false);
    expect(JSON.parse(bytes.subarray(0, bytes.indexOf(0x0a)).toString()).encryption).toMatchObject({ algorithm: 'aes-256-gcm' });
    expect(await archived(encryption)).toEqual(await collect(log.readAll()));
    await expect(archived(new ServerArchiveEncryption('another passphrase'))).rejects.toMatchObject({ code: 'ARCHIVE.WRONG_PASSPHRASE' });
    await expect(archived(clear)).rejects.toMatchObject({ code: 'ARCHIVE.PASSPHRASE_REQUIRED' });

    // A crash after the upload, before the cursor: the range is sealed again and must be those very bytes.
    const { sealSegment } = await import('./segment-writer');
    const again = await sealSegment(log.readAll(), { epoch: 1, level: 0, chainHeadAt: async (p) => (await log.chainHeadAt(p))?.hash ?? null }, encryption, dir.dir);
    expect(again!.key).toBe(segment.key);
    expect(Buffer.concat(await collect(again!.body()))).toEqual(bytes);
    await again!.discard();
  });

  it('fails closed: encryption configured but unusable uploads nothing and says why', async () => {
    const a = archiver({ encryption: new BrokenEncryption() });
    await write(2);
    await a.flush();
    expect(await listSegments(store)).toEqual([]);
    expect(await a.status()).toMatchObject({ archivedPosition: 0, lag: { positions: 2 }, lastError: { code: 'ARCHIVE.ENCRYPTION_UNAVAILABLE' } });
    expect((await a.status()).lastError!.message).toContain('the key file is unreadable');
  });

  it('after a crash between upload and cursor, adopts the object it finds instead of uploading it again; a damaged one is replaced', async () => {
    const a = archiver();
    await write(3);
    await a.flush();
    await a.stop();
    // As if the process died after the store had the object but before the cursor moved.
    const cursor = new ArchiveCursor(join(dir.dir, 'cursor.json'));
    writeFileSync(join(dir.dir, 'cursor.json'), JSON.stringify({ ...cursor.read(), position: 0, recordedAt: null }));
    await write(2);
    const b = archiver();
    await b.flush();
    expect((await listSegments(store)).map((s) => [s.from, s.to])).toEqual([
      [1, 3],
      [4, 5],
    ]);
    expect((await b.status()).archivedPosition).toBe(5);

    // A damaged object beyond the cursor (a torn upload some store let through): deleted and sealed again.
    await b.stop();
    const key = (await listSegments(store))[1].key;
    const path = join(dir.dir, 'store', key);
    const damaged = readFileSync(path);
    damaged[damaged.length - 3] ^= 0xff;
    writeFileSync(path, damaged);
    writeFileSync(join(dir.dir, 'cursor.json'), JSON.stringify({ ...cursor.read(), position: 3 }));
    const c = archiver();
    await c.flush();
    expect(positionsOf(await archived())).toEqual([1, 2, 3, 4, 5]);
  });

  it('an unreachable store only delays: everything written meanwhile is archived once it is back', async () => {
    const a = archiver();
    await write(2);
    await a.flush();
    store.down = true;
    await write(3);
    await a.flush();
    expect(await a.status()).toMatchObject({ archivedPosition: 2, lag: { positions: 3 }, lastError: { message: 'store unreachable' } });
    expect((await a.status()).lag.seconds).toBeGreaterThan(0);
    store.down = false;
    await a.flush();
    expect(await a.status()).toMatchObject({ archivedPosition: 5, lastError: null });
    expect(positionsOf(await archived())).toEqual([1, 2, 3, 4, 5]);
  });

  it('a restore read stops at a hole or a damaged object, naming it and the newest point still reachable', async () => {
    const a = archiver();
    for (let i = 0; i < 3; i++) {
      await write(2);
      await a.flush();
    }
    const [first, second] = await listSegments(store);
    const path = join(dir.dir, 'store', second.key);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] ^= 0x01;
    writeFileSync(path, bytes);
    await expect(archived()).rejects.toMatchObject({
      code: 'ARCHIVE.CHECKSUM_MISMATCH',
      details: { key: second.key, newestReachable: { position: 2 } },
    });
    // A time before the damage reads without touching it.
    const events = await archived(clear, { at: new Date(Date.parse('2026-05-01T10:00:00.000Z') + 2000).toISOString() });
    expect(positionsOf(events)).toEqual([1, 2]);

    await store.delete(second.key);
    await expect(archived()).rejects.toMatchObject({ code: 'ARCHIVE.GAP', details: { missingFrom: 3, newestReachable: { position: first.to } } });
  });

  it('merges closed windows into levels as it goes, verified before the small segments go; idle again, it asks only whether it was superseded', async () => {
    const a = archiver();
    // 5 minutes of writes, a segment every 20 s: the minutes merge into level 1 as they close.
    for (let i = 0; i < 15; i++) {
      await write(1);
      clock.advance(19_000);
      await a.flush();
    }
    const history = await collect(log.readAll());
    const minutes = await listSegments(store);
    expect(minutes.length).toBeLessThan(15);
    expect(minutes.filter((s) => s.level === 1).length).toBeGreaterThanOrEqual(3);
    minutes.forEach((s, i) => expect(s.from).toBe(i === 0 ? 1 : minutes[i - 1].to + 1));
    expect(await archived()).toEqual(history);

    // An hour later the minutes become one hour segment; a damaged input stops the merge and deletes nothing.
    clock.advance(3_600_000);
    const victim = minutes.find((s) => s.level === 1)!;
    const path = join(dir.dir, 'store', victim.key);
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    bad[bad.length - 5] ^= 0xff;
    writeFileSync(path, bad);
    await a.flush();
    expect((await listSegments(store)).map((s) => s.key)).toEqual(minutes.map((s) => s.key));
    writeFileSync(path, good);
    clock.advance(61_000);
    await a.flush();
    expect((await listSegments(store)).map((s) => [s.from, s.to, s.level])).toEqual([[1, 15, 2]]);
    expect(await archived()).toEqual(history);

    // Idle: one LIST (of the next epoch's prefix) a minute at most, nothing else.
    const requests = store.requests;
    clock.advance(24 * 3_600_000);
    await a.flush();
    expect(store.requests).toBe(requests + 1);
    clock.advance(30_000);
    await a.flush();
    expect(store.requests).toBe(requests + 1);
  });

  it('two instances starting to archive at once claim different epochs; the older one, superseded, uploads nothing more', async () => {
    await write(2);
    const [a, b] = [archiver({ cursor: 'a.json' }), archiver({ cursor: 'b.json' })];
    await Promise.all([a.flush(), b.flush()]);
    const epochs = [(await a.status()).epoch, (await b.status()).epoch];
    expect([...epochs].sort()).toEqual([1, 2]);
    const [older, newer] = epochs[0] === 1 ? [a, b] : [b, a];
    await write(1);
    await Promise.all([a.flush(), b.flush()]);
    expect(await newer.status()).toMatchObject({ epoch: 2, archivedPosition: 3, superseded: null, lastError: null });
    expect(await older.status()).toMatchObject({ epoch: 1, superseded: { epoch: 2 }, lastError: { code: 'ARCHIVE.SUPERSEDED' } });
    expect((await listSegments(store)).filter((s) => s.epoch === 1 && s.to > 2)).toEqual([]);
  });
});
