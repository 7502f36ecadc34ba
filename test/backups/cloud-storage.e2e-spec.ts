import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3BackupStorage } from '../../src/backups/storage/s3-backup-storage';
import { createDataset, csv, sleep, startApp, TestApp, waitForJob } from '../support/app-harness';
import { startS3Server, TestS3Server } from '../support/s3-server';
import { everything, expectStatus, getJson, importCsv, preview, restore } from '../recovery/recovery-helpers';
import { backupNow, keyOf } from './backup-helpers';

/**
 * Backups off the machine, against a real S3 server (s3rver on 127.0.0.1) and the real app: where
 * the objects land, multipart uploads, the errors a user can fix, a store that is down (the copy
 * waits and goes up by itself), and a fresh instance that restores from the bucket alone.
 */
describe('cloud storage (e2e, S3)', () => {
  let s3: TestS3Server;
  const apps: TestApp[] = [];
  beforeEach(async () => (s3 = await startS3Server()));
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await s3.close();
  });

  // These specs are about backup copies: the log's archive (which defaults to the first remote
  // storage) is off, so the bucket holds only what the backups put there.
  const start = async (env: Record<string, string>) => {
    const app = await startApp({ ...s3.env(), ARCHIVE_STORAGE: 'off', ...env });
    apps.push(app);
    return app;
  };
  /** What the bucket holds, listed by a driver of its own (not the app's). */
  const bucketKeys = async (prefix: string) => {
    const storage = new S3BackupStorage({ bucket: s3.bucket, prefix, endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      return (await storage.list()).map((o) => o.key);
    } finally {
      storage.destroy();
    }
  };

  it('a backup lands under the prefix; a fresh instance with an empty DATA_DIR lists it from the bucket and restores it', async () => {
    const a = await start({ BACKUP_STORAGE: `s3://${s3.bucket}/team/globe` });
    const ds = await createDataset(a.http, { name: 'Cloud' });
    await importCsv(a.http, ds.id, csv(300));
    const atBackup = await everything(a.http);
    const { view } = await backupNow(a.http, {}, 'alice');
    expect(view.storage).toBe(`s3://${s3.bucket}/team/globe`);
    expect(view.copies).toEqual([expect.objectContaining({ storage: view.storage, state: 'verified', size: view.size, lastError: null })]);
    expect(await bucketKeys('team/globe')).toEqual([keyOf(view)]);
    expect(s3.events.filter((e) => e.name.startsWith('ObjectCreated')).map((e) => e.key)).toEqual([`team/globe/${keyOf(view)}`]);
    // nothing of the backup stays on the machine: no local folder, no queue file
    expect(existsSync(join(a.dataDir, 'backups'))).toBe(false);
    expect(readdirSync(join(a.dataDir, 'outbox'))).toEqual([]);

    const b = await start({ BACKUP_STORAGE: `s3://${s3.bucket}/team/globe` });
    const listed = (await getJson(b.http, '/api/backups')).items;
    expect(listed).toEqual([
      expect.objectContaining({
        id: view.id,
        kind: 'found',
        createdAt: view.createdAt,
        headPosition: view.headPosition,
        stateHash: view.stateHash,
        counts: view.counts,
        size: view.size,
        copies: [expect.objectContaining({ storage: view.storage, state: 'stored' })],
      }),
    ]);
    const pv = await preview(b.http, { target: { backupId: view.id } });
    expect(pv.counts.locations.added).toBe(300);
    await restore(b.http, { previewToken: pv.previewToken });
    expect(await everything(b.http)).toEqual(atBackup);
    const verified = await b.http.post(`/api/backups/${view.id}/verify`).send({});
    expectStatus(verified, 200, 'verify on B');
    expect(verified.body.ok).toBe(true);
  });

  it('a backup of more than 20 MB goes up as a multipart upload, streamed, and verifies', async () => {
    const a = await start({ BACKUP_STORAGE: `s3://${s3.bucket}/big` });
    const ds = await createDataset(a.http, { name: 'Big' });
    await importCsv(a.http, ds.id, csv(100_000));
    const { view } = await backupNow(a.http, { compression: 'none' });
    expect(view.size).toBeGreaterThan(20 * 1024 * 1024);
    expect(s3.events.map((e) => [e.name, e.key])).toEqual([['ObjectCreated:Post', `big/${keyOf(view)}`]]);
    expect(view.copies).toEqual([expect.objectContaining({ state: 'verified', size: view.size })]);
  });

  it('a wrong credential and a missing bucket are clear errors, at once, and leave nothing listed', async () => {
    // s3rver checks the access key id (InvalidAccessKeyId, 403) but not SigV4 signatures, so the wrong credential is the key id.
    const wrong = await start({ BACKUP_STORAGE: `s3://${s3.bucket}/x`, AWS_ACCESS_KEY_ID: 'NOT-A-KEY' });
    const missing = await start({ BACKUP_STORAGE: 's3://no-such-bucket/x' });
    for (const [app, code] of [
      [wrong, 'STORAGE.ACCESS_DENIED'],
      [missing, 'STORAGE.BUCKET_NOT_FOUND'],
    ] as const) {
      const started = Date.now();
      const res = await app.http.post('/api/backups').send({});
      expectStatus(res, 202, 'POST /api/backups');
      const job = await waitForJob(app.http, res.body.jobId);
      expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await getJson(app.http, '/api/backups')).items).toEqual([]);
    }
    expect(await bucketKeys('x')).toEqual([]);
  });

  it('file + S3 with the S3 server down: the backup completes locally, the S3 copy waits (history, health), then goes up and verifies by itself', async () => {
    await s3.stop();
    const local = mkdtempSync(join(realpathSync(tmpdir()), 'gv-file-'));
    const t = await start({ BACKUP_STORAGE: `file:${local},s3://${s3.bucket}/copies`, BACKUP_COPY_RETRY_MAX_MS: '1000' });
    const ds = await createDataset(t.http, { name: 'Both' });
    await importCsv(t.http, ds.id, csv(50));
    const { view } = await backupNow(t.http);
    const s3Name = `s3://${s3.bucket}/copies`;
    expect(view.copies.map((c: any) => [c.storage, c.state])).toEqual([
      [view.storage, 'verified'],
      [s3Name, 'pending'],
    ]);
    expect(view.storage).toBe(`file:${local}`);
    const pending = view.copies.find((c: any) => c.storage === s3Name);
    expect(pending.lastError).toMatch(/^STORAGE.UNAVAILABLE/);
    expect(existsSync(join(t.dataDir, 'outbox', view.key))).toBe(true);
    const health = await getJson(t.http, '/api/backups/health');
    expect(health.status).toBe('warning');
    expect(health.storages).toEqual([
      { storage: view.storage, pendingCopies: 0, failedCopies: 0, lastError: null },
      { storage: s3Name, pendingCopies: 1, failedCopies: 0, lastError: expect.stringMatching(/^STORAGE.UNAVAILABLE/) },
    ]);
    expect(health.warnings).toEqual([expect.stringContaining(`1 backup copy(ies) not yet stored on ${s3Name}`)]);

    await sleep(1500);
    await s3.start();
    const deadline = Date.now() + 20_000;
    let copy: any;
    do {
      await sleep(200);
      copy = (await getJson(t.http, `/api/backups/${view.id}`)).copies.find((c: any) => c.storage === s3Name);
    } while (copy.state !== 'verified' && Date.now() < deadline);
    expect(copy).toMatchObject({ state: 'verified', size: view.size, lastError: null, nextAttemptAt: null });
    expect(copy.attempts).toBeGreaterThanOrEqual(2);
    expect(await bucketKeys('copies')).toEqual([view.key]);
    expect(existsSync(join(t.dataDir, 'outbox', view.key))).toBe(false);
    expect((await getJson(t.http, '/api/backups/health')).storages[1]).toEqual({ storage: s3Name, pendingCopies: 0, failedCopies: 0, lastError: null });
    rmSync(local, { recursive: true, force: true });
  });
});
