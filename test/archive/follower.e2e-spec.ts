import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerArchiveEncryption } from '../../src/archive/archive-encryption';
import { StorageArchiveStore } from '../../src/archive/storage-archive-store';
import { listSegments } from '../../src/archive/archive-catalog';
import { readSegmentHeader } from '../../src/archive/segment-reader';
import { sealSegment } from '../../src/archive/segment-writer';
import { S3BackupStorage } from '../../src/backups/storage/s3-backup-storage';
import { allAudit, sleep } from '../support/app-harness';
import { ChildServer, killAllChildServers } from '../support/child-server';
import { asAsync } from '../support/event-fixtures';
import { startS3Server, TestS3Server } from '../support/s3-server';
import { byId, everything, expectStatus, getJson, headPosition, momentBetween, patch } from '../recovery/recovery-helpers';
import { archiveCaughtUp, archiveHealth, followerCaughtUp, varietyOfWrites } from './archive-helpers';

/**
 * Cross-device sync: A writes and archives to a real S3 server (s3rver); B follows the same archive
 * (ARCHIVE_FOLLOW). A's writes reach B within seconds and B reads as A, record for record, at the
 * same position and at a time T; B refuses every write. B is promoted: it claims epoch 2, which
 * continues epoch 1 at B's head, and writes. A, the old writer, sees epoch 2, says it is superseded,
 * uploads nothing more and refuses writes. A segment a stale writer uploads under epoch 1 after that
 * (forged here from A's own unarchived event: A itself checks before it uploads) is not the history:
 * C, a new follower, reads B's state, not A's, and keeps following B after B restarts (still a writer).
 */

const sameState = (actual: Awaited<ReturnType<typeof everything>>, expected: Awaited<ReturnType<typeof everything>>) => {
  expect(byId(actual.datasets)).toEqual(byId(expected.datasets));
  expect(byId(actual.locations)).toEqual(byId(expected.locations));
  expect(actual.settings).toEqual(expected.settings);
  expect(byId(actual.configurations)).toEqual(byId(expected.configurations));
};

describe('a read-only follower of the archive, then its promotion (real processes, one S3 server)', () => {
  let root: string;
  let s3: TestS3Server;
  let a: ChildServer;
  let b: ChildServer;
  const url = () => `s3://${s3.bucket}/vault`;
  const writerEnv = () => ({ ...s3.env(), ARCHIVE_STORAGE: url(), ARCHIVE_INTERVAL_MS: '100' });
  const followerEnv = () => ({ ...s3.env(), ARCHIVE_FOLLOW: url(), ARCHIVE_FOLLOW_INTERVAL_MS: '100', ARCHIVE_INTERVAL_MS: '100' });
  /** The bucket as the archive's own adapter reads it, from the test's process. */
  const bucket = () =>
    new StorageArchiveStore(
      new S3BackupStorage({ bucket: s3.bucket, prefix: 'vault', endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }),
    );
  let t: string;
  let atT: Awaited<ReturnType<typeof everything>>;
  let handover: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gv-follow-e2e-'));
    s3 = await startS3Server();
    a = await ChildServer.start({ dataDir: join(root, 'a'), env: writerEnv() });
    b = await ChildServer.start({ dataDir: join(root, 'b'), env: followerEnv() });
  });
  afterAll(async () => {
    await killAllChildServers();
    await s3.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("follows A's writes within seconds and reads as A, record for record, at the same position and at a time T", async () => {
    await varietyOfWrites(a.http, 1);
    t = await momentBetween();
    atT = await everything(a.http, t);
    await varietyOfWrites(a.http, 2);
    const archived = await archiveCaughtUp(a.http);
    const follower = await followerCaughtUp(b.http, archived.archivedPosition);
    expect(follower).toMatchObject({ epoch: 1, appliedPosition: archived.archivedPosition, lag: { positions: 0, seconds: 0 }, lastError: null, waitingForEpoch: null });
    expect(await archiveHealth(b.http)).toBeNull();
    sameState(await everything(b.http), await everything(a.http));
    sameState(await everything(b.http, t), atT);
    expect(await allAudit(b.http)).toEqual(await allAudit(a.http));
  });

  it('answers every write with 409 FOLLOWER.READ_ONLY and writes nothing', async () => {
    const head = await headPosition(b.http);
    const before = await everything(b.http);
    const [dataset] = before.datasets;
    const [location] = before.locations;
    const writes = [
      b.http.post('/api/datasets').send({ name: 'On the follower' }),
      b.http.post(`/api/datasets/${dataset.id}/import`).query({ fileName: 'x.csv' }).set('content-type', 'text/csv').send('name,latitude,longitude\nX,1,2\n'),
      b.http.patch(`/api/locations/${location.id}`).send({ name: 'Renamed on the follower' }),
      b.http.delete(`/api/locations/${location.id}`),
      b.http.patch('/api/settings').send({ theme: 'follower' }),
      b.http.put('/api/configurations/on-follower').send({ kind: 'camera-view', name: 'F', value: {} }),
      b.http.post('/api/tokens').send({ name: 'follower', role: 'viewer' }),
      b.http.post('/api/backups').send({ includeHistory: false, compression: 'none' }),
      b.http.post('/api/restores').send({ previewToken: 'x', strategy: 'fail' }),
      b.http.post('/api/projections/rebuild'),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('FOLLOWER.READ_ONLY');
    }
    expect(await headPosition(b.http)).toBe(head);
    sameState(await everything(b.http), before);
    expect((await getJson(b.http, '/api/tokens')).items).toHaveLength(0);
    expect((await getJson(b.http, '/api/backups')).items).toHaveLength(0);
  });

  it('promoted, B writes under epoch 2 continuing epoch 1; A is superseded, uploads nothing more and refuses writes', async () => {
    handover = (await archiveCaughtUp(a.http)).archivedPosition;
    const promoted = await b.http.post('/api/archive/promote');
    expectStatus(promoted, 200, 'POST /api/archive/promote');
    expect(promoted.body).toEqual({ epoch: 2, continues: { epoch: 1, position: handover }, headPosition: handover });
    expectStatus(await b.http.post('/api/archive/promote'), 409, 'a second promotion');
    await varietyOfWrites(b.http, 3);
    expect(await archiveCaughtUp(b.http)).toMatchObject({ epoch: 2, lastError: null, superseded: null });
    expect((await getJson(b.http, '/api/backups/health')).follower).toBeNull();
    const store = bucket();
    const [first] = await listSegments(store, 2);
    expect(await readSegmentHeader(store, first.key)).toMatchObject({ epoch: 2, from: 1, continues: { epoch: 1, position: handover } });

    // A has not looked yet: this write is accepted, then never uploaded (A checks before each upload).
    await patch(a.http, '/api/settings', { searchQuery: 'stale writer' });
    let health = await archiveHealth(a.http);
    for (const deadline = Date.now() + 20_000; !health.superseded && Date.now() < deadline; health = await archiveHealth(a.http)) await sleep(50);
    expect(health).toMatchObject({ epoch: 1, archivedPosition: handover, superseded: { epoch: 2 }, lastError: { code: 'ARCHIVE.SUPERSEDED' } });
    expect(health.headPosition).toBe(handover + 1);
    const refused = await a.http.post('/api/datasets').send({ name: 'After the handover' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ARCHIVE.SUPERSEDED', details: { epoch: 1, newerEpoch: 2 } });
    expect(Math.max(...(await listSegments(store, 1)).map((s) => s.to))).toBe(handover);
    expect((await getJson(a.http, '/api/backups/health')).warnings.join('\n')).toMatch(/superseded by epoch 2/);
  });

  it("ignores what a stale writer uploads under its old epoch: a new follower reads B's history, not A's", async () => {
    const stale = (await allAudit(a.http)).find((e) => e.position === handover + 1);
    expect(stale.data).toMatchObject({ patch: { searchQuery: 'stale writer' } });
    await a.stop();
    const sealed = (await sealSegment(asAsync([stale]), { epoch: 1, level: 0 }, new ServerArchiveEncryption(undefined), join(root)))!;
    await bucket().put(sealed.key, sealed.body());
    await sealed.discard();
    expect(Math.max(...(await listSegments(bucket(), 1)).map((s) => s.to))).toBe(handover + 1);

    const bHead = (await archiveCaughtUp(b.http)).archivedPosition;
    const c = await ChildServer.start({ dataDir: join(root, 'c'), env: followerEnv() });
    expect(await followerCaughtUp(c.http, bHead)).toMatchObject({ epoch: 2, appliedPosition: bHead, lastError: null });
    sameState(await everything(c.http), await everything(b.http));
    sameState(await everything(c.http, t), atT);
    expect((await everything(c.http)).settings.searchQuery).not.toBe('stale writer');

    // Promotion survives a restart with ARCHIVE_FOLLOW still set; C keeps following the new writer.
    await b.stop();
    b = await ChildServer.start({ dataDir: join(root, 'b'), env: followerEnv() });
    await patch(b.http, '/api/settings', { searchQuery: 'after the restart' });
    const restarted = await archiveCaughtUp(b.http);
    expect(restarted).toMatchObject({ epoch: 2, superseded: null });
    expect((await getJson(b.http, '/api/backups/health')).follower).toBeNull();
    await followerCaughtUp(c.http, restarted.archivedPosition);
    sameState(await everything(c.http), await everything(b.http));
  });
});
