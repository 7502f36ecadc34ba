import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupNow } from '../backups/backup-helpers';
import { preview, restore } from '../recovery/recovery-helpers';
import { TestApp, startApp } from '../support/app-harness';

/** One scrape, parsed: `value('name', {label: 'x'})` is the sample's value, undefined when absent. */
class Scrape {
  constructor(readonly text: string) {}

  families(): string[] {
    return [...this.text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
  }

  value(name: string, labels: Record<string, string> = {}): number | undefined {
    for (const line of this.text.split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const has = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      if (Object.entries(labels).every(([k, v]) => has[k] === v)) return Number(match[3]);
    }
    return undefined;
  }
}

/**
 * The metrics proof, through HTTP: every family asked for is in GET /metrics, and each
 * moves when its thing happens — an append, a job (backup, restore), a restore, a backup's size
 * and age, the archive's lag, an HTTP answer under its route template.
 */
describe('Prometheus metrics at /metrics (e2e, in process)', () => {
  let t: TestApp;
  let archiveDir: string;
  const scrape = async () => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return new Scrape(res.text);
  };

  beforeAll(async () => {
    archiveDir = mkdtempSync(join(tmpdir(), 'gv-metrics-archive-'));
    // An hour between archive uploads: the lag stays where the appends put it while the spec looks.
    t = await startApp({ SERVE_UI: 'false', ARCHIVE_STORAGE: `file:${archiveDir}`, ARCHIVE_INTERVAL_MS: '3600000', ARCHIVE_SEGMENT_BYTES: String(1024 ** 3) });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(archiveDir, { recursive: true, force: true });
  });

  it('names every family the issue asks for', async () => {
    const families = (await scrape()).families();
    expect(families).toEqual(
      expect.arrayContaining([
        'globe_vault_events_appended_total',
        'globe_vault_log_head_position',
        'globe_vault_projection_lag_positions',
        'globe_vault_job_duration_seconds',
        'globe_vault_restores_total',
        'globe_vault_backups',
        'globe_vault_backup_size_bytes',
        'globe_vault_backup_age_seconds',
        'globe_vault_archive_lag_positions',
        'globe_vault_archive_lag_seconds',
        'globe_vault_http_request_duration_seconds',
        'process_resident_memory_bytes',
      ]),
    );
  });

  it('events appended, head, projection lag, archive lag and HTTP latency move with an append', async () => {
    const before = await scrape();
    const created = await t.http.post('/api/datasets').send({ name: 'Counted' });
    expect(created.status).toBe(201);
    const located = await t.http.post(`/api/datasets/${created.body.id}/locations`).send({ name: 'Here', latitude: 1, longitude: 2 });
    expect(located.status).toBe(201);
    const after = await scrape();

    expect(after.value('globe_vault_events_appended_total')! - before.value('globe_vault_events_appended_total')!).toBe(2);
    expect(after.value('globe_vault_log_head_position')! - before.value('globe_vault_log_head_position')!).toBe(2);
    expect(after.value('globe_vault_projection_lag_positions')).toBe(0);
    const storage = { storage: `file:${archiveDir}` };
    expect(after.value('globe_vault_archive_lag_positions', storage)! - (before.value('globe_vault_archive_lag_positions', storage) ?? 0)).toBe(2);
    expect(after.value('globe_vault_archive_lag_seconds', storage)).toBeGreaterThanOrEqual(0);
    const route = (r: string) => ({ method: 'POST', route: r, status_class: '2xx' });
    const count = 'globe_vault_http_request_duration_seconds_count';
    expect(after.value(count, route('/api/datasets'))! - (before.value(count, route('/api/datasets')) ?? 0)).toBe(1);
    expect(after.value(count, route('/api/datasets/:datasetId/locations'))).toBe(1);
    const refused = await t.http.get('/api/locations/no-such-location');
    expect(refused.status).toBe(404);
    expect((await scrape()).value(count, { method: 'GET', route: '/api/locations/:id', status_class: '4xx' })).toBe(1);
  });

  it('a backup moves the job histogram, the backup count, size and age; a restore moves the restores and the restore jobs', async () => {
    const before = await scrape();
    expect(before.value('globe_vault_backup_size_bytes', { backup: 'newest' })).toBeUndefined();
    const { view } = await backupNow(t.http, { includeHistory: false, compression: 'none' });
    const afterBackup = await scrape();
    const jobs = (kind: string, s: Scrape) => s.value('globe_vault_job_duration_seconds_count', { kind, outcome: 'completed' }) ?? 0;
    expect(jobs('backup', afterBackup) - jobs('backup', before)).toBe(1);
    expect(afterBackup.value('globe_vault_backups')).toBe(1);
    expect(afterBackup.value('globe_vault_backup_size_bytes', { backup: 'newest' })).toBe(view.size);
    expect(afterBackup.value('globe_vault_backup_age_seconds', { backup: 'newest' })).toBeGreaterThanOrEqual(0);
    expect(afterBackup.value('globe_vault_backups_size_bytes')).toBe(view.size);

    const verified = await t.http.post(`/api/backups/${view.id}/verify`).send({});
    expect(verified.status).toBe(200);
    expect((await scrape()).value('globe_vault_backup_size_bytes', { backup: 'newest_verified' })).toBe(view.size);

    const restores = (s: Scrape) => s.value('globe_vault_restores_total', { outcome: 'completed' }) ?? 0;
    const pv = await preview(t.http, { target: { position: 1 }, scope: {} });
    await restore(t.http, { previewToken: pv.previewToken, strategy: 'target-wins' });
    const afterRestore = await scrape();
    expect(restores(afterRestore) - restores(afterBackup)).toBe(1);
    expect(jobs('restore', afterRestore) - jobs('restore', afterBackup)).toBe(1);
  });
});
