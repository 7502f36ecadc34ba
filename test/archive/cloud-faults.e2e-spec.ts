import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coverChain, listSegments } from '../../src/archive/archive-catalog';
import { ServerArchiveEncryption } from '../../src/archive/archive-encryption';
import { readSegmentEvents } from '../../src/archive/segment-reader';
import { StorageArchiveStore } from '../../src/archive/storage-archive-store';
import { S3BackupStorage } from '../../src/backups/storage/s3-backup-storage';
import { allAudit, createDataset, csv, sleep } from '../support/app-harness';
import { ChildServer, killAllChildServers } from '../support/child-server';
import { startS3Server, TestS3Server } from '../support/s3-server';
import { addLocation, expectStatus, getJson, importCsv } from '../recovery/recovery-helpers';
import { archiveCaughtUp, archiveHealth } from './archive-helpers';

/**
 * Faults against a real S3 server (s3rver) with the real server in its own process: SIGKILL in
 * the middle of segment uploads and in the middle of a backup's upload, and the S3 server stopped
 * for 30 s under steady writes. After each: no position missing or duplicated in the archive (the
 * bucket listed and every segment read), no backup listed that does not verify, and the archive
 * catches up by itself (its lag back to 0). One bucket and one DATA_DIR go through all three.
 */

const PREFIX = 'globe';

describe('cloud faults (real processes, S3)', () => {
  let root: string;
  let s3: TestS3Server;
  let dataDir: string;
  let server: ChildServer;
  const env = () => ({ ...s3.env(), BACKUP_STORAGE: `s3://${s3.bucket}/${PREFIX}`, ARCHIVE_INTERVAL_MS: '100', ARCHIVE_SEGMENT_BYTES: '65536', BACKUP_COPY_RETRY_MAX_MS: '1000' });
  const start = async () => (server = await ChildServer.start({ dataDir, env: env() }));
  const created = (prefix: string) => s3.events.filter((e) => e.name.startsWith('ObjectCreated') && e.key.startsWith(`${PREFIX}/${prefix}`));

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gv-cloud-faults-'));
    dataDir = join(root, 'data');
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await killAllChildServers();
    await s3.close();
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * Every position of the log in the bucket's archive exactly once per level, read back as the
   * audit trail: from position 1, or from just after the oldest backup's head if the retention let
   * the segments before it go.
   */
  async function expectArchiveIsTheLog(): Promise<void> {
    const trail = await allAudit(server.http);
    const storage = new S3BackupStorage({ bucket: s3.bucket, prefix: PREFIX, endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const store = new StorageArchiveStore(storage);
      const segments = await listSegments(store, 1);
      // Within a level, no two objects share a position (a merged object may sit beside what it replaces until they are deleted).
      for (const level of new Set(segments.map((s) => s.level))) {
        const same = segments.filter((s) => s.level === level);
        same.slice(1).forEach((s, i) => expect([s.key, s.from > same[i].to]).toEqual([s.key, true]));
      }
      const first = Math.min(...segments.map((s) => s.from));
      if (first > 1) {
        const heads = (await getJson(server.http, '/api/backups')).items.map((b: { headPosition: number }) => b.headPosition);
        expect(first - 1).toBeLessThanOrEqual(Math.min(...heads));
      }
      const chain = coverChain(segments, first);
      expect({ end: chain.end, gapAt: chain.gapAt }).toEqual({ end: trail.at(-1).position, gapAt: null });
      const read: [number, string][] = [];
      const encryption = new ServerArchiveEncryption(undefined);
      for (const segment of chain.segments) {
        for await (const e of readSegmentEvents(store, segment.key, encryption, { fromPosition: (read.at(-1)?.[0] ?? first - 1) + 1 })) read.push([e.position, e.eventId]);
      }
      expect(read).toEqual(trail.slice(first - 1).map((e) => [e.position, e.eventId]));
    } finally {
      storage.destroy();
    }
  }

  /** Every backup the instance lists reads back whole and verifies; every backup object in the bucket is one of them. */
  async function expectEveryListedBackupVerifies(): Promise<string[]> {
    const listed = (await getJson(server.http, '/api/backups', { refresh: 'true' })).items;
    for (const backup of listed) {
      const verified = await server.http.post(`/api/backups/${backup.id}/verify`).send({});
      expectStatus(verified, 200, `verify ${backup.id}`);
      expect({ id: backup.id, ok: verified.body.ok }).toEqual({ id: backup.id, ok: true });
    }
    const storage = new S3BackupStorage({ bucket: s3.bucket, prefix: PREFIX, endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const objects = (await storage.list()).map((o) => o.key).filter((k) => k.endsWith('.gvbk'));
      expect(objects.sort()).toEqual(listed.map((b: { key: string }) => b.key).sort());
    } finally {
      storage.destroy();
    }
    return listed.map((b: { id: string }) => b.id);
  }

  it('SIGKILL in the middle of segment uploads: after the restart no position is missing or twice, and the archive catches up', async () => {
    await start();
    const dataset = await createDataset(server.http, { name: 'Segments' });
    const importing = importCsv(server.http, dataset.id, csv(3000)).catch(() => undefined);
    // Killed once the first segments are in the bucket, while the import keeps the archiver uploading.
    const segmentsCreated = () => created('archive/').filter((e) => e.key.endsWith('.gvseg')).length;
    const deadline = Date.now() + 10_000;
    while (segmentsCreated() === 0 && Date.now() < deadline) await sleep(5);
    const before = segmentsCreated();
    await server.kill('SIGKILL');
    await importing;
    expect(before).toBeGreaterThan(0);
    console.log(`SIGKILL after ${before} segment(s) were in the bucket, ${segmentsCreated()} by the time the process was gone`);

    await start();
    await addLocation(server.http, dataset.id, { name: 'after the kill', latitude: 1, longitude: 2 });
    expect(await archiveCaughtUp(server.http)).toMatchObject({ epoch: 1, lastError: null, lag: { positions: 0 } });
    await expectArchiveIsTheLog();
  }, 120_000);

  it('SIGKILL in the middle of a backup upload to S3: no backup is listed that does not verify, and the archive catches up', async () => {
    const dataset = await createDataset(server.http, { name: 'Backup' });
    await importCsv(server.http, dataset.id, csv(60_000));
    const res = await server.http.post('/api/backups').send({ compression: 'none' });
    expectStatus(res, 202, 'POST /api/backups');
    // The copy goes up in the job's last phase (a multipart upload of ~12 MB): killed there, before the bucket has it.
    let phase = '';
    const deadline = Date.now() + 60_000;
    while (phase !== 'verifying' && Date.now() < deadline) {
      phase = (await getJson(server.http, `/api/jobs/${res.body.jobId}`)).phase;
      await sleep(5);
    }
    await sleep(100);
    const landedMidUpload = !created('globe-vault-').some((e) => e.key.includes(res.body.backupId));
    await server.kill('SIGKILL');
    expect(phase).toBe('verifying');

    await start();
    const listed = await expectEveryListedBackupVerifies();
    if (landedMidUpload) expect(listed).not.toContain(res.body.backupId);
    expect(await archiveCaughtUp(server.http)).toMatchObject({ lastError: null, lag: { positions: 0 } });
    await expectArchiveIsTheLog();
    console.log(`SIGKILL landed ${landedMidUpload ? 'before' : 'after'} the backup object was complete in the bucket`);
  }, 180_000);

  it('the S3 server stopped for 30 s under steady writes: health says so, then the archive catches up by itself, whole', async () => {
    const dataset = await createDataset(server.http, { name: 'Outage' });
    await archiveCaughtUp(server.http);
    await s3.stop();
    const until = Date.now() + 30_000;
    let written = 0;
    while (Date.now() < until) {
      await addLocation(server.http, dataset.id, { name: `during the outage ${written}`, latitude: written % 90, longitude: 0 });
      written += 1;
      await sleep(200);
    }
    const away = await archiveHealth(server.http);
    expect(away.lag.positions).toBeGreaterThan(0);
    expect(away.lastError).not.toBeNull();
    await s3.start();
    const back = Date.now();
    // The archiver retries with a backoff of at most 30 s: caught up within that and one interval.
    expect(await archiveCaughtUp(server.http, 60_000)).toMatchObject({ lastError: null, lag: { positions: 0, seconds: 0 } });
    const caughtUpMs = Date.now() - back;
    await expectArchiveIsTheLog();
    await expectEveryListedBackupVerifies();
    console.log(`${written} writes during the 30 s outage; the archive caught up ${caughtUpMs} ms after S3 was back`);
  }, 150_000);
});
