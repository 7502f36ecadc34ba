import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allAudit } from '../support/app-harness';
import { ChildServer, killAllChildServers } from '../support/child-server';
import { backupNow } from '../backups/backup-helpers';
import { byId, everything, expectStatus, getJson, momentBetween, preview, restore } from '../recovery/recovery-helpers';
import { startS3Server, TestS3Server } from '../support/s3-server';
import { archiveCaughtUp, archiveHealth, varietyOfWrites } from './archive-helpers';

/**
 * "A user whose server is gone gets their Globe data back, to any point in time, from the storage
 * alone." Real processes and a real S3 server (s3rver on 127.0.0.1): A writes (imports, edits,
 * deletions, settings, configurations), backs up twice to the bucket (the second backup sealed
 * with the passphrase) and archives its log there continuously, encrypted; A is killed with
 * SIGKILL and its DATA_DIR deleted. B and C start on the same bucket with empty DATA_DIRs and
 * restore from the cloud alone: B to a time T between the two backups (the first backup + the
 * segments after it up to T), C to A's last archived position (the second backup + the segments
 * after it); every record is compared with what A answered, at T (`?at=T`) and at its head.
 */

const PASSPHRASE = 'archive test passphrase';
/** A start with S3 discovery and the archive took over 30 s on this shared machine at a load average of ~30. */
const READY_MS = 120_000;
const sameState = (actual: Awaited<ReturnType<typeof everything>>, expected: Awaited<ReturnType<typeof everything>>) => {
  expect(byId(actual.datasets)).toEqual(byId(expected.datasets));
  expect(byId(actual.locations)).toEqual(byId(expected.locations));
  expect(actual.settings).toEqual(expected.settings);
  expect(byId(actual.configurations)).toEqual(byId(expected.configurations));
};
type ReadObject = { kind: string; key: string; bytes: number; from: number; to: number };

describe('restore from the archive alone, to any point in time (real processes)', () => {
  let root: string;
  let s3: TestS3Server;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gv-archive-e2e-'));
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await killAllChildServers();
    await s3.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** GET requests the S3 server answered for a backup's object since request number `from` (its request log). */
  const getsOf = (from: number, backup: { key: string }) =>
    s3.requests.slice(from).filter((r) => r.method === 'GET' && decodeURIComponent(r.url.split('?')[0]) === `/${s3.bucket}/globe/${backup.key}`).length;

  it('B and C, empty, restore A from the bucket: the newest backup at or before the target + the segments after it, record for record, with A\'s audit trail and their own point-in-time recovery', async () => {
    // ARCHIVE_STORAGE defaults to the first remote backup storage: the bucket.
    const env = { ...s3.env(), BACKUP_STORAGE: `s3://${s3.bucket}/globe`, ARCHIVE_INTERVAL_MS: '200', BACKUP_PASSPHRASE: PASSPHRASE };
    const a = await ChildServer.start({ dataDir: join(root, 'a'), env, readyTimeoutMs: READY_MS });
    await varietyOfWrites(a.http, 1);
    const first = (await backupNow(a.http)).view;
    await varietyOfWrites(a.http, 2);
    const t = await momentBetween();
    const atT = await everything(a.http, t);
    await varietyOfWrites(a.http, 3);
    const second = (await backupNow(a.http, { passphrase: PASSPHRASE })).view;
    expect(second.headPosition).toBeGreaterThan(first.headPosition);
    await varietyOfWrites(a.http, 4);
    expectStatus(await a.http.delete(`/api/datasets/${atT.datasets[0].id}`), 204, 'DELETE dataset');
    const archived = await archiveCaughtUp(a.http);
    expect(archived).toMatchObject({ epoch: 1, lag: { positions: 0 }, lastError: null, encryption: expect.stringContaining('aes-256-gcm') });
    const atHead = await everything(a.http);
    const trail = await allAudit(a.http);
    expect(trail.at(-1).position).toBe(archived.archivedPosition);

    await a.kill('SIGKILL');
    rmSync(join(root, 'a'), { recursive: true, force: true });
    expect(s3.events.some((e) => e.key.startsWith('globe/archive/00000001/'))).toBe(true);

    // B: to T, from the first backup and the segments after its head.
    const b = await ChildServer.start({ dataDir: join(root, 'b'), env, readyTimeoutMs: READY_MS });
    expect((await everything(b.http)).datasets).toEqual([]);
    expect((await getJson(b.http, '/api/backups')).items.map((i: { id: string }) => i.id).sort()).toEqual([first.id, second.id].sort());
    const readsFromB = s3.requests.length;
    const toT = await preview(b.http, { target: { at: t } });
    expect(toT.position).toBeGreaterThan(first.headPosition);
    expect(toT.position).toBeLessThan(second.headPosition);
    expect(toT.archive.backup).toEqual({ id: first.id, key: first.key, storage: first.storage, headPosition: first.headPosition });
    expectReads(toT.archive, first, toT.position);
    await restore(b.http, { previewToken: toT.previewToken });
    // The base backup is downloaded once for the preview and the restore (its manifest, state and history).
    expect(getsOf(readsFromB, first)).toBe(1);
    sameState(await everything(b.http), atT);
    const adoptedB = await allAudit(b.http);
    expect(adoptedB.slice(0, toT.position)).toEqual(trail.slice(0, toT.position));
    expect(adoptedB.slice(toT.position).map((e) => e.type)).toEqual(['RestorePointCreated', 'RestoreStarted', 'RestoreCompleted']);
    // Its own point-in-time recovery over the adopted history, and an archive of its own (a new epoch).
    sameState(await everything(b.http, t), atT);
    expect(await archiveCaughtUp(b.http)).toMatchObject({ epoch: 2, lastError: null });

    // C: to A's last archived position, from the second (encrypted) backup and the segments after it.
    const c = await ChildServer.start({ dataDir: join(root, 'c'), env, readyTimeoutMs: READY_MS });
    expect((await getJson(c.http, '/api/backups')).items).toHaveLength(2); // discovered (their headers read) before the count below
    const readsFromC = s3.requests.length;
    const toHead = await preview(c.http, { target: { position: archived.archivedPosition } });
    expect(toHead).toMatchObject({ position: archived.archivedPosition, basePosition: 0, archive: { epoch: 1, target: { position: archived.archivedPosition } } });
    expect(toHead.archive.backup).toMatchObject({ id: second.id, key: second.key });
    expectReads(toHead.archive, second, archived.archivedPosition);
    expect(toHead.counts.locations.added).toBe(atHead.locations.length);
    await restore(c.http, { previewToken: toHead.previewToken });
    expect(getsOf(readsFromC, second)).toBe(1);
    expect(getsOf(readsFromC, first)).toBe(0);
    sameState(await everything(c.http), atHead);
    expect((await allAudit(c.http)).slice(0, trail.length)).toEqual(trail);
    sameState(await everything(c.http, t), atT);
    await restore(c.http, { previewToken: (await preview(c.http, { target: { at: t } })).previewToken });
    sameState(await everything(c.http), atT);
  }, 600_000);

  it('a hole or a damaged object stops the restore before anything is written, naming the object and the newest point still reachable; with or without a backup', async () => {
    const store = join(root, 'damaged-store');
    const plain = { ARCHIVE_STORAGE: `file:${store}`, ARCHIVE_INTERVAL_MS: '100' };
    const withBackups = { ...plain, BACKUP_STORAGE: `file:${join(root, 'damaged-backups')}` };
    const a = await ChildServer.start({ dataDir: join(root, 'damaged-a'), env: withBackups, readyTimeoutMs: READY_MS });
    const times: string[] = [];
    let backupHead = 0;
    for (let round = 1; round <= 3; round++) {
      await varietyOfWrites(a.http, round);
      await archiveCaughtUp(a.http);
      if (round === 1) backupHead = (await backupNow(a.http)).view.headPosition;
      times.push(await momentBetween(150));
    }
    const head = (await archiveHealth(a.http)).archivedPosition;
    await a.kill('SIGKILL');
    const folder = join(store, 'archive', '00000001');
    const keys = readdirSync(folder).filter((k) => k.endsWith('.gvseg')).sort();
    const fromOf = (key: string) => Number(key.slice(0, 20));
    // The archive caught up before the backup: a segment starts right after its head, and another one ends the archive.
    const afterBackup = keys.find((k) => fromOf(k) === backupHead + 1)!;
    expect(afterBackup).toBeDefined();
    expect(afterBackup).not.toBe(keys.at(-1));
    // B sees the archive alone (segments from position 1), C the backup too (the backup + the segments after it).
    const b = await ChildServer.start({ dataDir: join(root, 'damaged-b'), env: plain, readyTimeoutMs: READY_MS });
    const c = await ChildServer.start({ dataDir: join(root, 'damaged-c'), env: withBackups, readyTimeoutMs: READY_MS });

    // The last object damaged: the head is refused, a time before it still restores.
    const last = join(folder, keys.at(-1)!);
    const bytes = readFileSync(last);
    bytes[bytes.length - 10] ^= 0x20;
    writeFileSync(last, bytes);
    for (const server of [b, c]) {
      const damaged = await server.http.post('/api/restores/preview').send({ target: { position: head } });
      expect({ server: server === b ? 'b' : 'c', status: damaged.status }).toEqual({ server: server === b ? 'b' : 'c', status: 422 });
      expect(damaged.body).toMatchObject({ code: 'ARCHIVE.CHECKSUM_MISMATCH', details: { key: `archive/00000001/${keys.at(-1)}` } });
      expect(damaged.body.details.newestReachable.position).toBeGreaterThanOrEqual(backupHead);
      expect(damaged.body.details.newestReachable.position).toBeLessThan(head);
      expect((await allAudit(server.http)).length).toBe(0);
    }
    const before = await preview(b.http, { target: { at: times[0] } });
    expect(before.archive.objects.map((o: { key: string }) => o.key)).not.toContain(`archive/00000001/${keys.at(-1)}`);
    // At T just after the backup: the backup alone (the segment after it starts later).
    const onBackup = await preview(c.http, { target: { at: times[0] } });
    expect({ position: onBackup.position, kinds: onBackup.archive.objects.map((o: ReadObject) => o.kind) }).toEqual({ position: backupHead, kinds: ['backup'] });

    // The object after the backup's head missing: a hole, with or without the backup.
    rmSync(join(folder, afterBackup));
    for (const server of [b, c]) {
      const hole = await server.http.post('/api/restores/preview').send({ target: { at: times[2] } });
      expect({ server: server === b ? 'b' : 'c', status: hole.status }).toEqual({ server: server === b ? 'b' : 'c', status: 422 });
      expect(hole.body).toMatchObject({ code: 'ARCHIVE.GAP', details: { missingFrom: backupHead + 1, epoch: 1, newestReachable: { position: backupHead } } });
      expect((await allAudit(server.http)).length).toBe(0);
    }
  }, 600_000);
});

/** The objects a preview says it reads: the backup's file first, then segments that continue from its head to the target, with their bytes. */
function expectReads(part: { objects: ReadObject[]; bytes: number }, backup: { key: string; size: number; headPosition: number }, position: number): void {
  const [file, ...segments] = part.objects;
  expect(file).toMatchObject({ kind: 'backup', key: backup.key, bytes: backup.size, from: 1, to: backup.headPosition });
  expect(segments.length).toBeGreaterThan(0);
  expect(segments.every((o) => o.kind === 'segment' && o.key.startsWith('archive/00000001/'))).toBe(true);
  expect(segments[0].from).toBeLessThanOrEqual(backup.headPosition + 1);
  expect(segments[0].to).toBeGreaterThan(backup.headPosition);
  segments.slice(1).forEach((o, i) => expect([o.from <= segments[i].to + 1, o.to > segments[i].to]).toEqual([true, true]));
  expect(segments.at(-1)!.to).toBeGreaterThanOrEqual(position);
  expect(part.bytes).toBe(part.objects.reduce((sum, o) => sum + o.bytes, 0));
}
