import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allAudit } from '../support/app-harness';
import { ChildServer, killAllChildServers } from '../support/child-server';
import { byId, everything, expectStatus, momentBetween, preview, restore } from '../recovery/recovery-helpers';
import { archiveCaughtUp, archiveHealth, varietyOfWrites } from './archive-helpers';

/**
 * "A user whose server is gone gets their Globe data back, to any point in time, from the storage
 * alone." Real processes: A writes (imports, edits, deletions, settings, configurations) and
 * archives continuously, encrypted, to a store; A is killed with SIGKILL and its DATA_DIR deleted;
 * B starts on the same store with an empty DATA_DIR and restores from the archive alone, to A's
 * last archived position and to a time T in the middle; every record is compared with what A
 * answered. The lead re-points ARCHIVE_STORAGE at s3rver once the storage drivers are merged.
 */

const PASSPHRASE = 'archive test passphrase';
const sameState = (actual: Awaited<ReturnType<typeof everything>>, expected: Awaited<ReturnType<typeof everything>>) => {
  expect(byId(actual.datasets)).toEqual(byId(expected.datasets));
  expect(byId(actual.locations)).toEqual(byId(expected.locations));
  expect(actual.settings).toEqual(expected.settings);
  expect(byId(actual.configurations)).toEqual(byId(expected.configurations));
};

describe('restore from the archive alone, to any point in time (real processes)', () => {
  let root: string;
  const env = (store: string) => ({ ARCHIVE_STORAGE: `file:${store}`, ARCHIVE_INTERVAL_MS: '200', BACKUP_PASSPHRASE: PASSPHRASE });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gv-archive-e2e-'));
  });
  afterAll(async () => {
    await killAllChildServers();
    rmSync(root, { recursive: true, force: true });
  });

  it('B, empty, restores A to its last archived position and to T, record for record, with A\'s audit trail and its own point-in-time recovery', async () => {
    const store = join(root, 'store');
    const a = await ChildServer.start({ dataDir: join(root, 'a'), env: env(store) });
    await varietyOfWrites(a.http, 1);
    await varietyOfWrites(a.http, 2);
    const t = await momentBetween();
    const atT = await everything(a.http, t);
    await varietyOfWrites(a.http, 3);
    expectStatus(await a.http.delete(`/api/datasets/${atT.datasets[0].id}`), 204, 'DELETE dataset');
    const archived = await archiveCaughtUp(a.http);
    expect(archived).toMatchObject({ epoch: 1, lag: { positions: 0 }, lastError: null, encryption: expect.stringContaining('aes-256-gcm') });
    expect(archived.restorable.newest).not.toBeNull();
    const atHead = await everything(a.http);
    const trail = await allAudit(a.http);
    expect(trail.at(-1).position).toBe(archived.archivedPosition);

    await a.kill('SIGKILL');
    rmSync(join(root, 'a'), { recursive: true, force: true });
    expect(readdirSync(join(store, 'archive'))).toEqual(['00000001']);

    const b = await ChildServer.start({ dataDir: join(root, 'b'), env: env(store) });
    expect((await everything(b.http)).datasets).toEqual([]);
    const toHead = await preview(b.http, { target: { position: archived.archivedPosition } });
    expect(toHead).toMatchObject({ position: archived.archivedPosition, basePosition: 0, archive: { epoch: 1, target: { position: archived.archivedPosition } } });
    expect(toHead.archive.objects.length).toBeGreaterThan(0);
    expect(toHead.archive.bytes).toBe(toHead.archive.objects.reduce((sum: number, o: { bytes: number }) => sum + o.bytes, 0));
    expect(toHead.counts.locations.added).toBe(atHead.locations.length);
    await restore(b.http, { previewToken: toHead.previewToken });

    sameState(await everything(b.http), atHead);
    const adopted = await allAudit(b.http);
    expect(adopted.slice(0, trail.length)).toEqual(trail);
    expect(adopted.slice(trail.length).map((e) => e.type)).toEqual(['RestorePointCreated', 'RestoreStarted', 'RestoreCompleted']);
    // Its own point-in-time recovery: time travel and a local restore to T over the adopted history.
    sameState(await everything(b.http, t), atT);
    await restore(b.http, { previewToken: (await preview(b.http, { target: { at: t } })).previewToken });
    sameState(await everything(b.http), atT);
    // And it archives under a new epoch of its own.
    expect(await archiveCaughtUp(b.http)).toMatchObject({ epoch: 2, lastError: null });

    // C, empty too, restores straight to T from the storage.
    const c = await ChildServer.start({ dataDir: join(root, 'c'), env: env(store) });
    const toT = await preview(c.http, { target: { at: t } });
    expect(toT.position).toBeLessThan(archived.archivedPosition);
    expect(toT.archive.objects.length).toBeGreaterThan(0);
    await restore(c.http, { previewToken: toT.previewToken });
    sameState(await everything(c.http), atT);
    expect((await allAudit(c.http)).slice(0, toT.position)).toEqual(trail.slice(0, toT.position));
    expect((await archiveHealth(c.http)).epoch).toBeGreaterThanOrEqual(2);
  });

  it('a hole or a damaged object stops the restore before anything is written, naming the object and the newest point still reachable', async () => {
    const store = join(root, 'damaged-store');
    const plain = { ARCHIVE_STORAGE: `file:${store}`, ARCHIVE_INTERVAL_MS: '100' };
    const a = await ChildServer.start({ dataDir: join(root, 'damaged-a'), env: plain });
    const times: string[] = [];
    for (let round = 1; round <= 3; round++) {
      await varietyOfWrites(a.http, round);
      await archiveCaughtUp(a.http);
      times.push(await momentBetween(150));
    }
    const head = (await archiveHealth(a.http)).archivedPosition;
    await a.kill('SIGKILL');
    const folder = join(store, 'archive', '00000001');
    const keys = readdirSync(folder).filter((k) => k.endsWith('.gvseg')).sort();
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const b = await ChildServer.start({ dataDir: join(root, 'damaged-b'), env: plain });

    // The last object damaged: the head is refused, a time before it still restores.
    const last = join(folder, keys.at(-1)!);
    const bytes = readFileSync(last);
    bytes[bytes.length - 10] ^= 0x20;
    writeFileSync(last, bytes);
    const damaged = await b.http.post('/api/restores/preview').send({ target: { position: head } });
    expect(damaged.status).toBe(422);
    expect(damaged.body).toMatchObject({ code: 'ARCHIVE.CHECKSUM_MISMATCH', details: { key: `archive/00000001/${keys.at(-1)}` } });
    expect(damaged.body.details.newestReachable.position).toBeGreaterThan(0);
    expect(damaged.body.details.newestReachable.position).toBeLessThan(head);
    expect((await allAudit(b.http)).length).toBe(0);
    const before = await preview(b.http, { target: { at: times[0] } });
    expect(before.archive.objects.map((o: { key: string }) => o.key)).not.toContain(`archive/00000001/${keys.at(-1)}`);

    // A middle object missing: a hole.
    rmSync(join(folder, keys[1]));
    const hole = await b.http.post('/api/restores/preview').send({ target: { at: times[2] } });
    expect(hole.status).toBe(422);
    expect(hole.body).toMatchObject({ code: 'ARCHIVE.GAP', details: { missingFrom: Number(keys[1].slice(0, 20)), epoch: 1 } });
    expect(hole.body.details.newestReachable.position).toBe(Number(keys[1].slice(0, 20)) - 1);
    expect((await allAudit(b.http)).length).toBe(0);
  });
});
