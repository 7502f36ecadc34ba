import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobRunner } from '../../src/jobs/job-runner';
import { backupNow } from '../backups/backup-helpers';
import { startControlledJob } from '../gateway/support/synthetic-jobs';
import { TestApp, startApp, waitForJob } from '../support/app-harness';

/**
 * The health proof, through HTTP: /health answers alive without I/O; /health/ready reports
 * the database, the event store, the projection's lag in positions, the last verified backup's age,
 * the storages and the archive's lag, and answers 503 HEALTH.NOT_READY while a rebuild or a restore
 * runs (jobs started in the real JobRunner, held open by the spec so the window is not a race).
 */
describe('health and readiness (e2e, in process)', () => {
  let t: TestApp;
  let archiveDir: string;
  beforeAll(async () => {
    archiveDir = mkdtempSync(join(tmpdir(), 'gv-health-archive-'));
    t = await startApp({ SERVE_UI: 'false', ARCHIVE_STORAGE: `file:${archiveDir}`, ARCHIVE_INTERVAL_MS: '3600000', ARCHIVE_SEGMENT_BYTES: String(1024 ** 3) });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(archiveDir, { recursive: true, force: true });
  });

  it('/health: alive', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) });
  });

  it('/health/ready: every check up, with the lag, the backup age, the storages and the archive', async () => {
    const created = await t.http.post('/api/datasets').send({ name: 'Ready' });
    expect(created.status).toBe(201);
    const empty = await t.http.get('/health/ready');
    expect(empty.status).toBe(200);
    expect(empty.body.status).toBe('ok');
    expect(empty.body.details).toMatchObject({
      database: { status: 'up' },
      eventStore: { status: 'up', headPosition: 1, writes: 'open' },
      reads: { status: 'up', projection: { position: 1, lagPositions: 0 } },
      backups: {
        status: 'up',
        backupStatus: 'no-backups',
        lastVerifiedAgeSeconds: null,
        storages: [{ storage: expect.stringMatching(/^file:/), pendingCopies: 0, failedCopies: 0, lastError: null }],
        archive: { storage: `file:${archiveDir}`, lag: { positions: 1, seconds: expect.any(Number) }, lastError: null },
      },
    });

    const { view } = await backupNow(t.http, { includeHistory: false, compression: 'none' });
    expect((await t.http.post(`/api/backups/${view.id}/verify`).send({})).status).toBe(200);
    const backedUp = await t.http.get('/health/ready');
    expect(backedUp.status).toBe(200);
    expect(backedUp.body.details.backups).toMatchObject({ lastVerifiedBackupId: view.id, lastVerifiedAgeSeconds: expect.any(Number) });
    expect(backedUp.body.details.backups.lastVerifiedAgeSeconds).toBeGreaterThanOrEqual(0);
  });

  it.each(['rebuild', 'restore'] as const)('/health/ready: 503 HEALTH.NOT_READY while a %s runs, ready again once it ends', async (kind) => {
    const job = await startControlledJob(t.app.get(JobRunner), kind);
    try {
      const blocked = await t.http.get('/health/ready');
      expect([blocked.status, blocked.body.code]).toEqual([503, 'HEALTH.NOT_READY']);
      expect(blocked.body.details.error.reads).toMatchObject({ status: 'down', job: { id: job.id, kind } });
      expect(blocked.body.details.details.database.status).toBe('up');
      expect((await t.http.get('/health')).status).toBe(200);
    } finally {
      job.complete();
    }
    await waitForJob(t.http, job.id);
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });
});
