import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackupHealthService } from '../../src/backups/reading/backup-health';
import { BackupScheduler } from '../../src/backups/writing/backup-scheduler';
import { BackupService } from '../../src/backups/catalog/backup.service';
import { ManualClock } from '../../src/common/clock';
import { BackupSchedule, backupScheduleSchema, backupSchedulesSchema } from '../../src/domain/backup-schedule';
import { ScheduledRunClaims } from '../../src/jobs/scheduled-run-claims';
import { TestApp, allAudit, sleep, startApp } from '../support/app-harness';
import { startTestingApp } from '../support/testing-app';
import { expectStatus, getJson } from '../recovery/recovery-helpers';
import { ISO, backupNow, backupsDir, filesIn, jobOfBackup, listBackups, payloadOffset, seedGlobe } from './backup-helpers';

/**
 * Automatic backups: the schedule document (audited, validated), retention after scheduled
 * backups, the one-instance claim per firing, restore drills (which must catch a damaged file) and
 * the health answer the Backup Manager shows first.
 */

const DAY = 24 * 3600_000;
const KEEP_ALL = { keepLast: 7, keepDailyDays: 14, keepWeeklyWeeks: 8 };

/** Flips one payload byte of a stored backup file, in place. */
function tamper(dataDir: string, key: string): void {
  const path = join(backupsDir(dataDir), key);
  const file = readFileSync(path);
  file[payloadOffset(file) + 10] ^= 0x01;
  writeFileSync(path, file);
}

describe('backup schedules, retention, drills and health (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    // the scheduler's after-backup retention polls jobs once a second: let it see its jobs end first
    await sleep(1100);
    await t?.close();
  });

  it('health with no backups at all says so', async () => {
    expect(await getJson(t.http, '/api/backups/health')).toEqual({
      status: 'no-backups',
      lastVerifiedRestorableAt: null,
      lastVerifiedBackupId: null,
      archive: null,
      follower: null,
      verifiedAt: null,
      newestBackupAt: null,
      promisedWithinHours: null,
      warnings: ['there is no backup yet'],
      message: 'no verified backup yet',
      storages: [{ storage: `file:${join(realpathSync(t.dataDir), 'backups')}`, pendingCopies: 0, failedCopies: 0, lastError: null }],
      nextRuns: {},
      nextBackupAt: null,
      serverKeyId: null,
    });
  });

  it('the schedule document: defaults, a daily schedule in Europe/Paris saved and audited with its actor, invalid ones refused', async () => {
    const http = t.http;
    expect(await getJson(http, '/api/backup-schedules')).toEqual({
      schedules: [],
      retention: { keepLast: 7, keepDailyDays: 14, keepWeeklyWeeks: 8 },
      drills: { enabled: true, cron: '30 4 * * *' },
      logCompaction: { enabled: false, olderThanDays: 365, cron: '45 3 * * *' },
    });

    const doc = {
      schedules: [{ id: 'nightly', frequency: 'daily', time: '03:15', timezone: 'Europe/Paris', compression: 'brotli' }],
      retention: { keepLast: 5, keepDailyDays: 7, keepWeeklyWeeks: 4 },
      drills: { enabled: true, cron: '0 5 * * 0' },
    };
    const saved = await http.put('/api/backup-schedules').set('X-Actor', 'alice').set('X-Reason', 'nightly backups').send(doc);
    expectStatus(saved, 200, 'PUT /api/backup-schedules');
    const full = {
      schedules: [
        {
          id: 'nightly',
          enabled: true,
          frequency: 'daily',
          time: '03:15',
          dayOfWeek: 0,
          timezone: 'Europe/Paris',
          storage: 'default',
          encrypt: false,
          compression: 'brotli',
          includeHistory: true,
        },
      ],
      retention: doc.retention,
      drills: doc.drills,
      logCompaction: { enabled: false, olderThanDays: 365, cron: '45 3 * * *' },
    };
    expect(saved.body).toEqual(full);
    expect(await getJson(http, '/api/backup-schedules')).toEqual(full);
    const audited = await allAudit(http, { type: 'BackupSchedulesChanged' });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ type: 'BackupSchedulesChanged', stream: 'backup-schedules', data: { schedules: full }, metadata: { actor: 'alice' } });

    const refused: [string, object, number, string][] = [
      ['invalid cron', { schedules: [{ id: 'c', frequency: 'cron', cron: '61 * * * *' }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['not a cron', { schedules: [{ id: 'c', frequency: 'cron', cron: 'every day at noon' }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['cron missing', { schedules: [{ id: 'c', frequency: 'cron' }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['bad time 24:00', { schedules: [{ id: 'd', frequency: 'daily', time: '24:00' }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['bad time 7:5', { schedules: [{ id: 'd', frequency: 'daily', time: '7:5' }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['unknown time zone', { schedules: [{ id: 'd', frequency: 'daily', timezone: 'Mars/Olympus_Mons' }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['bad day of week', { schedules: [{ id: 'w', frequency: 'weekly', dayOfWeek: 7 }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['duplicate ids', { schedules: [{ id: 'd', frequency: 'daily' }, { id: 'd', frequency: 'weekly' }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['invalid drill cron', { drills: { enabled: true, cron: '0 25 * * *' } }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['unknown key', { schedules: [{ id: 'd', frequency: 'daily', hour: 3 }] }, 400, 'BACKUP.INVALID_SCHEDULE'],
      ['encrypt without a server key or BACKUP_PASSPHRASE', { schedules: [{ id: 'e', frequency: 'daily', encrypt: true }] }, 400, 'BACKUP.KEY_NOT_CONFIGURED'],
    ];
    const seen: [string, object, number, string][] = [];
    for (const [what, body] of refused) {
      const res = await http.put('/api/backup-schedules').send(body);
      seen.push([what, body, res.status, res.body.code]);
    }
    expect(seen).toEqual(refused);
    // nothing of them was kept or recorded
    expect(await getJson(http, '/api/backup-schedules')).toEqual(full);
    expect(await allAudit(http, { type: 'BackupSchedulesChanged' })).toHaveLength(1);
  });

  it('retention after scheduled backups keeps the newest scheduled one and every manual one, files included', async () => {
    const http = t.http;
    await seedGlobe(http, 6);
    const scheduler = t.app.get(BackupScheduler);
    const schedule: BackupSchedule = backupScheduleSchema.parse({ id: 'nightly', frequency: 'daily', timezone: 'Europe/Paris' });
    const scheduled: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await scheduler.runScheduled(schedule, KEEP_ALL);
      const job = await jobOfBackup(http, id);
      expect({ state: job.state, error: job.error }).toEqual({ state: 'completed', error: null });
      scheduled.push(id);
    }
    const manual = (await backupNow(http, {})).view;
    const views = await listBackups(http);
    expect(views.map((b) => b.id)).toEqual([manual.id, ...[...scheduled].reverse()]);
    for (const v of views.slice(1)) expect({ kind: v.kind, actor: v.actor, lastVerifyResult: v.lastVerifyResult }).toEqual({ kind: 'scheduled', actor: 'scheduler:nightly', lastVerifyResult: 'ok' });
    expect(filesIn(backupsDir(t.dataDir))).toEqual(views.map((v) => v.key).sort());

    const removed = await scheduler.applyRetention({ keepLast: 1, keepDailyDays: 0, keepWeeklyWeeks: 0 });
    expect(removed).toEqual([scheduled[1], scheduled[0]]);
    const kept = await listBackups(http);
    expect(kept.map((b) => b.id)).toEqual([manual.id, scheduled[2]]);
    expect(filesIn(backupsDir(t.dataDir))).toEqual(kept.map((v) => v.key).sort());
    for (const id of removed) {
      const res = await http.get(`/api/backups/${id}`);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'BACKUP.NOT_FOUND' });
    }
    // applying it again removes nothing more
    expect(await scheduler.applyRetention({ keepLast: 1, keepDailyDays: 0, keepWeeklyWeeks: 0 })).toEqual([]);
  });

  it('one instance per firing: a slot is claimed once per schedule and minute', async () => {
    const claims = t.app.get(ScheduledRunClaims);
    expect(await claims.claim('x', new Date('2026-03-01T10:15:05.000Z'))).toBe(true);
    expect(await claims.claim('x', new Date('2026-03-01T10:15:59.999Z'))).toBe(false);
    expect(await claims.claim('x', new Date('2026-03-01T10:15:05.000Z'))).toBe(false);
    expect(await claims.claim('y', new Date('2026-03-01T10:15:30.000Z'))).toBe(true);
    expect(await claims.claim('x', new Date('2026-03-01T10:16:00.000Z'))).toBe(true);
    expect(await claims.claim('x', new Date('2026-03-01T10:16:01.000Z'))).toBe(false);
  });

  it('a drill restores the backup into a scratch database: ok with equal hashes, recorded on the row; health says when', async () => {
    const http = t.http;
    const { view } = await backupNow(http, {});
    const drill = await http.post(`/api/backups/${view.id}/drill`);
    expectStatus(drill, 200, 'POST drill');
    expect(drill.body).toEqual({ backupId: view.id, ok: true, expectedStateHash: view.stateHash, restoredStateHash: view.stateHash, error: null, drilledAt: drill.body.drilledAt });
    expect(drill.body.drilledAt).toMatch(ISO);
    expect(await getJson(http, `/api/backups/${view.id}`)).toEqual({ ...view, lastDrillAt: drill.body.drilledAt, lastDrillResult: 'ok' });
    const unknown = await http.post('/api/backups/no-such-backup/drill');
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'BACKUP.NOT_FOUND' });

    const health = await getJson(http, '/api/backups/health');
    expect(health).toEqual({
      status: 'ok',
      lastVerifiedRestorableAt: view.createdAt,
      lastVerifiedBackupId: view.id,
      archive: null,
      follower: null,
      verifiedAt: drill.body.drilledAt,
      newestBackupAt: view.createdAt,
      promisedWithinHours: health.promisedWithinHours,
      warnings: [],
      message: `last verified restorable at ${view.createdAt} (backup ${view.id}, verified ${drill.body.drilledAt})`,
      storages: [{ storage: view.storage, pendingCopies: 0, failedCopies: 0, lastError: null }],
      nextRuns: health.nextRuns,
      nextBackupAt: health.nextBackupAt,
      serverKeyId: null,
    });
    // the schedules' next three firings, each in its time zone; the soonest is the next backup
    const runs = Object.values(health.nextRuns as Record<string, string[]>);
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect(r).toEqual([...r].sort());
    expect(runs.every((r) => r.length === 3 && r.every((at) => ISO.test(at) && Date.parse(at) > Date.now()))).toBe(true);
    expect(health.nextBackupAt).toBe(runs.map((r) => r[0]).sort()[0]);
    // the Paris daily schedule promises a backup a day (plus an hour of grace; 23 or 25 h across a DST change)
    expect([24, 25, 26]).toContain(health.promisedWithinHours);
  });

  it('a drill of a backup drilled before, after its file was damaged on disk, fails; verify fails; health stops calling it verified', async () => {
    const http = t.http;
    const [newest] = await listBackups(http);
    expect(newest.lastDrillResult).toBe('ok');
    tamper(t.dataDir, newest.key);
    const drill = (await http.post(`/api/backups/${newest.id}/drill`)).body;
    const verify = (await http.post(`/api/backups/${newest.id}/verify`).send({})).body;
    const row = await getJson(http, `/api/backups/${newest.id}`);
    const health = await getJson(http, '/api/backups/health');
    expect({
      drill: { ok: drill.ok, error: drill.error, restoredStateHash: drill.restoredStateHash },
      row: { lastDrillResult: row.lastDrillResult, lastVerifyResult: row.lastVerifyResult },
      verify: { ok: verify.ok, code: verify.error?.code },
      healthCallsItVerified: health.lastVerifiedBackupId === newest.id,
    }).toEqual({
      drill: { ok: false, error: 'BACKUP.CHECKSUM_MISMATCH', restoredStateHash: null },
      row: { lastDrillResult: 'failed: BACKUP.CHECKSUM_MISMATCH', lastVerifyResult: 'failed: BACKUP.CHECKSUM_MISMATCH' },
      verify: { ok: false, code: 'BACKUP.CHECKSUM_MISMATCH' },
      healthCallsItVerified: false,
    });
  });

  it('a failed drill alone (before any verify) is enough for health to stop calling a backup verified restorable', async () => {
    const http = t.http;
    const good = (await backupNow(http, {})).view;
    const damaged = (await backupNow(http, { compression: 'none' })).view;
    tamper(t.dataDir, damaged.key);
    const drill = (await http.post(`/api/backups/${damaged.id}/drill`)).body;
    expect({ ok: drill.ok, error: drill.error, restoredStateHash: drill.restoredStateHash }).toEqual({ ok: false, error: 'BACKUP.CHECKSUM_MISMATCH', restoredStateHash: null });
    expect((await getJson(http, `/api/backups/${damaged.id}`)).lastDrillResult).toBe('failed: BACKUP.CHECKSUM_MISMATCH');
    const afterDrill = await getJson(http, '/api/backups/health');
    expect({ id: afterDrill.lastVerifiedBackupId, status: afterDrill.status, warnings: afterDrill.warnings }).toEqual({
      id: good.id,
      status: 'warning',
      warnings: ['1 newer backup(s) failed verification'],
    });

    // once verify has failed too, health points at the older good backup and warns about the newer one
    const verify = (await http.post(`/api/backups/${damaged.id}/verify`).send({})).body;
    expect({ ok: verify.ok, code: verify.error?.code }).toEqual({ ok: false, code: 'BACKUP.CHECKSUM_MISMATCH' });
    const health = await getJson(http, '/api/backups/health');
    expect(health).toMatchObject({ status: 'warning', lastVerifiedBackupId: good.id, lastVerifiedRestorableAt: good.createdAt, newestBackupAt: damaged.createdAt });
    expect(health.warnings).toEqual(['1 newer backup(s) failed verification']);
  });

  it('encrypted schedules need BACKUP_PASSPHRASE; with it, a scheduled backup is encrypted and its drill passes', async () => {
    const withPass = await startApp({ BACKUP_PASSPHRASE: 'from-the-environment' });
    try {
      const http = withPass.http;
      await seedGlobe(http, 3);
      const res = await http.put('/api/backup-schedules').send({ schedules: [{ id: 'secret', frequency: 'weekly', dayOfWeek: 3, encrypt: true }] });
      expectStatus(res, 200, 'PUT encrypted schedule');
      const doc = res.body;
      const id = await withPass.app.get(BackupScheduler).runScheduled(doc.schedules[0], doc.retention);
      expect((await jobOfBackup(http, id)).state).toBe('completed');
      const view = await getJson(http, `/api/backups/${id}`);
      expect({ kind: view.kind, encrypted: view.encrypted, actor: view.actor }).toEqual({ kind: 'scheduled', encrypted: true, actor: 'scheduler:secret' });
      const drill = (await http.post(`/api/backups/${id}/drill`)).body;
      expect({ ok: drill.ok, restored: drill.restoredStateHash, error: drill.error }).toEqual({ ok: true, restored: view.stateHash, error: null });
      const blind = (await http.post(`/api/backups/${id}/verify`).send({})).body;
      expect({ ok: blind.ok, contentChecked: blind.contentChecked }).toEqual({ ok: true, contentChecked: false });
      await sleep(1100);
    } finally {
      await withPass.close();
    }
  });

  it('with a manual clock and a daily schedule, health warns once the newest verified backup is older than promised', async () => {
    const clock = new ManualClock('2026-01-05T12:00:00.000Z');
    const app = await startTestingApp(clock);
    try {
      const scheduler = app.app.get(BackupScheduler);
      const health = app.app.get(BackupHealthService);
      await scheduler.replace(
        backupSchedulesSchema.parse({ schedules: [{ id: 'daily', frequency: 'daily', time: '02:00', timezone: 'UTC' }], retention: KEEP_ALL, drills: { enabled: false } }),
        { actor: 'test', source: 'api', correlationId: 'c-1', causationId: null },
      );
      const { jobId, backupId } = await app.app.get(BackupService).start({ kind: 'manual', compression: 'gzip', includeHistory: true, actor: 'test' });
      expect((await app.finished(jobId)).state).toBe('completed');
      const fresh = await health.health();
      expect(fresh).toMatchObject({ status: 'ok', lastVerifiedBackupId: backupId, lastVerifiedRestorableAt: '2026-01-05T12:00:00.000Z', promisedWithinHours: 25, warnings: [] });
      expect(fresh.message).toBe(`last verified restorable at 2026-01-05T12:00:00.000Z (backup ${backupId}, verified 2026-01-05T12:00:00.000Z)`);

      clock.advance(DAY);
      expect((await health.health()).status).toBe('ok');
      clock.advance(2 * DAY);
      const late = await health.health();
      expect(late).toMatchObject({ status: 'warning', lastVerifiedBackupId: backupId, promisedWithinHours: 25 });
      expect(late.warnings).toEqual(['the newest verified backup is 3.0 days old, older than the 25 h the schedule promises']);
    } finally {
      await app.close();
    }
  });
});
