import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildServer, killAllChildServers } from '../support/child-server';
import { runCli, runCliOnTerminal } from '../support/run-cli';
import { startS3Server, TestS3Server } from '../support/s3-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The machine is shared and loaded: a child server gets two minutes to answer, never a timed assertion. */
const READY_MS = 120_000;

/**
 * The built `globe-vault` command (node dist/cli/main.js) as a script runs it (no terminal), against
 * a real server in its own process, then against that server stopped: exit codes, progress from
 * the gateway, online restore and undo, and the offline disaster restore into an empty DATA_DIR
 * that a new server then serves.
 */
describe('globe-vault CLI (built, as a child process)', () => {
  const work = mkdtempSync(join(tmpdir(), 'gv-cli-'));
  const dataDir = join(work, 'data');
  const backupFile = join(work, 'saved.gvbk');
  let server: ChildServer;
  let s3: TestS3Server;
  let backupKey: string;
  let backupHead: number;
  let datasetId: string;
  /** A moment after the import and before the location added later: the offline restore's --at. */
  let beforeLastChange: string;
  const cli = (args: string[]) => runCli([...args, '--url', server.url]);
  const locationNames = async (s: ChildServer) => ((await s.http.get('/api/locations?limit=100')).body.items as { name: string }[]).map((l) => l.name).sort();

  beforeAll(async () => {
    s3 = await startS3Server();
    // Every backup goes to the DATA_DIR's folder and to a real S3 server (s3rver).
    server = await ChildServer.start({ dataDir, readyTimeoutMs: READY_MS, env: { SERVE_UI: 'false', BACKUP_STORAGE: `file:${join(dataDir, 'backups')},s3://${s3.bucket}/cli`, ...s3.env() } });
  });

  afterAll(async () => {
    await killAllChildServers();
    await s3?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints its usage with the exit codes; a bad command or option is a usage error (2)', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect((await runCli(['backup', 'frob'])).code).toBe(2);
    expect((await cli(['restore', 'preview'])).code).toBe(2);
    expect((await cli(['restore', 'preview', '--at', 'not a time'])).code).toBe(2);
  });

  it('imports and backs up with progress from the gateway (a plain line per phase without a TTY), lists and downloads', async () => {
    const csv = join(work, 'cities.csv');
    writeFileSync(csv, 'name,lat,lng\nParis,48.85,2.35\nBerlin,52.52,13.4\nLisbon,38.72,-9.14\n');
    const imported = await cli(['import', csv, '--new-dataset', 'Cities', '--json']);
    expect(imported.code).toBe(0);
    datasetId = imported.json().datasetId;
    expect(imported.json().result.locationsWritten).toBe(3);
    expect(imported.stderr).toMatch(/^import [0-9a-f]{8}: done \(3\/3\)$/m);

    await sleep(20);
    beforeLastChange = new Date().toISOString();
    await sleep(20);
    expect((await server.http.post(`/api/datasets/${datasetId}/locations`).set('X-Source', 'api').send({ name: 'Oslo', latitude: 59.91, longitude: 10.75 })).status).toBe(201);

    const created = await cli(['backup', 'create', '--label', 'before the trip', '--json']);
    expect(created.code).toBe(0);
    const backup = created.json();
    backupKey = backup.key;
    backupHead = backup.headPosition;
    expect(backup).toMatchObject({ label: 'before the trip', counts: { locations: 4 }, includesHistory: true, lastVerifyResult: 'ok' });
    // Which phases print depends on when the socket subscribed (a small backup may be past them); the end always prints.
    expect(created.stderr).toMatch(/^backup [0-9a-f]{8}: done \(\d+\/\d+\)$/m);

    // Every --json list is the API's page, {items, next}, never a bare array.
    const listed = await cli(['backup', 'list', '--json']);
    expect(listed.json()).toMatchObject({ items: [expect.objectContaining({ id: backup.id })], next: null });
    const downloaded = await cli(['backup', 'download', backup.id, '-o', backupFile]);
    expect(downloaded.code).toBe(0);
    expect(statSync(backupFile).size).toBe(backup.size);

    const csvOut = join(work, 'export.csv');
    const exported = await cli(['export', '--format', 'csv', '--dataset', datasetId, '-o', csvOut, '--json']);
    expect(exported.code).toBe(0);
    expect(exported.json()).toMatchObject({ file: csvOut, bytes: statSync(csvOut).size });
    const [header, ...rows] = readFileSync(csvOut, 'utf8').trim().split('\n');
    expect(header.split(',').slice(0, 2)).toEqual(['id', 'name']);
    const exportedNames = rows.map((row) => row.split(',')[1]);
    expect(exportedNames.sort()).toEqual(['Berlin', 'Lisbon', 'Oslo', 'Paris']);
    expect((await cli(['export', '--format', 'nope'])).code).toBe(2);
  });

  it('gives refusals (3), missing things (4), conflicts (5) and failed jobs (7) their own exit codes', async () => {
    const viewer = await cli(['tokens', 'create', '--name', 'cli reader', '--role', 'viewer', '--json']);
    expect(viewer.code).toBe(0);
    const forbidden = await cli(['backup', 'create', '--token', viewer.json().token]);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toContain('AUTH.FORBIDDEN');
    expect((await cli(['backup', 'list', '--token', 'gv_not-a-token'])).code).toBe(3);
    expect((await cli(['backup', 'verify', 'no-such-backup'])).code).toBe(4);
    expect((await cli(['tokens', 'create', '--name', 'cli reader', '--role', 'viewer'])).code).toBe(5);
    const revoked = await cli(['tokens', 'revoke', viewer.json().id, '--yes', '--json']);
    expect(revoked.code).toBe(0);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    // Revoked at once: the token that could read a moment ago is refused now.
    const afterRevoke = await cli(['backup', 'list', '--token', viewer.json().token, '--json']);
    expect(afterRevoke.code).toBe(3);

    // This instance writes its archive (to S3, its first remote storage); it follows none, so there is nothing to promote.
    const archive = await cli(['archive', 'status', '--json']);
    expect(archive.json()).toMatchObject({ archive: { storage: expect.stringContaining('s3://') }, follower: null });
    const promote = await cli(['archive', 'promote', '--yes']);
    expect(promote.code).toBe(5);
    expect(promote.stderr).toContain('ARCHIVE.NOT_FOLLOWER');

    const bad = join(work, 'bad.csv');
    writeFileSync(bad, 'name,lat,lng\nNowhere,999,0\n');
    const failed = await cli(['import', bad, '--dataset', datasetId, '--json']);
    expect(failed.code).toBe(7);
    expect(JSON.parse(failed.stderr.trim().split('\n').pop()!)).toMatchObject({ exitCode: 7, error: { code: 'IMPORT.INVALID_ROWS' } });

    // The audit trail: one import, found by type and by its job's correlation id; the hash chain holds.
    const found = await cli(['audit', 'search', '--type', 'DatasetImported', '--order', 'asc', '--json']);
    expect(found.code).toBe(0);
    expect(found.json().items.map((e: { data: { datasetId: string } }) => e.data.datasetId)).toEqual([datasetId]);
    const byRequest = await cli(['audit', 'search', '--correlation-id', found.json().items[0].metadata.correlationId, '--json']);
    expect(byRequest.json().items.map((e: { type: string }) => e.type)).toContain('LocationsAdded');
    const tail = await cli(['audit', 'tail', '-n', '2', '--json']);
    expect(tail.json()).toMatchObject({ items: [expect.any(Object), expect.any(Object)], next: expect.any(String) });
    const chain = await cli(['audit', 'verify', '--json']);
    expect(chain.code).toBe(0);
    expect(chain.json()).toMatchObject({ ok: true, verifiedFrom: 1, verifiedThrough: tail.json().items[1].position });

    // Schedules: created, refused twice under one id (5) or with a bad time (2), listed, deleted; a restore drill of the newest backup.
    const scheduled = await cli(['schedules', 'create', 'nightly', '--weekly', 'tue', '--time', '03:30', '--timezone', 'Europe/Paris', '--compression', 'none', '--json']);
    expect(scheduled.code).toBe(0);
    expect(scheduled.json()).toMatchObject({ id: 'nightly', frequency: 'weekly', dayOfWeek: 2, time: '03:30', timezone: 'Europe/Paris', compression: 'none', enabled: true });
    expect((await cli(['schedules', 'create', 'nightly'])).code).toBe(5);
    const badTime = await cli(['schedules', 'create', 'late', '--time', '25:00']);
    expect([badTime.code, badTime.stderr]).toEqual([2, expect.stringContaining('BACKUP.INVALID_SCHEDULE')]);
    const schedules = await cli(['schedules', 'list', '--json']);
    expect(schedules.json()).toMatchObject({ items: [expect.objectContaining({ id: 'nightly' })], next: null, drills: { enabled: true } });
    expect((await server.http.get('/api/backups/health')).body.nextRuns).toHaveProperty('nightly');
    expect((await cli(['schedules', 'delete', 'nightly', '--yes'])).code).toBe(0);
    expect((await server.http.get('/api/backup-schedules')).body.schedules).toEqual([]);
    expect((await cli(['schedules', 'delete', 'nightly', '--yes'])).code).toBe(4);
    const drill = await cli(['backup', 'drill', '--json']);
    expect(drill.code).toBe(0);
    expect(drill.json()).toMatchObject({ ok: true, error: null });
    expect(drill.json().restoredStateHash).toBe(drill.json().expectedStateHash);
    expect((await server.http.get(`/api/backups/${drill.json().backupId}`)).body.lastDrillResult).toBe('ok');

    // A restore without a terminal to confirm on and without --yes is refused, and writes nothing.
    const head = (await server.http.get('/api/audit?limit=1')).body.items[0].position;
    const unconfirmed = await cli(['restore', 'run', '--position', '1']);
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain('--yes');
    expect((await server.http.get('/api/audit?limit=1')).body.items[0].position).toBe(head);
  });

  it('on a terminal: a live progress bar, and a restore that shows its preview and asks (no: nothing written)', async () => {
    const snapshot = await runCliOnTerminal(['snapshot', 'create', '--url', server.url], '');
    expect(snapshot.code).toBe(0);
    expect(snapshot.stdout).toMatch(/snapshot: \w+ \[[=-]+\] \d+%/);

    const head = (await server.http.get('/api/audit?limit=1')).body.items[0].position;
    const asked = await runCliOnTerminal(['restore', 'run', '--position', '1', '--url', server.url], 'n\r');
    expect(asked.stdout).toMatch(/locations\s+\+0\s+~0\s+-4/);
    expect(asked.stdout).toContain('Restore? [y/N]');
    expect(asked.code).toBe(3);
    expect((await server.http.get('/api/audit?limit=1')).body.items[0].position).toBe(head);

    // Someone writes while the question is open: the yes comes too late, the preview is stale (5), nothing restored.
    const stale = await runCliOnTerminal(['restore', 'run', '--position', '1', '--url', server.url], {
      waitFor: 'Restore? [y/N]',
      meanwhile: () => server.http.post('/api/restore-points').set('X-Source', 'api').send({ name: 'meanwhile' }).expect(201),
      type: 'y\r',
    });
    expect(stale.stdout).toContain('RESTORE.PREVIEW_STALE');
    expect(stale.code).toBe(5);
    expect(await locationNames(server)).toEqual(['Berlin', 'Lisbon', 'Oslo', 'Paris']);
  });

  it('previews, restores with --yes and undoes through the server', async () => {
    const preview = await cli(['restore', 'preview', '--position', '1', '--scope', `dataset:${datasetId}`, '--json']);
    expect(preview.code).toBe(0);
    expect(preview.json().counts.locations.removed).toBe(4);

    const restored = await cli(['restore', 'run', '--position', '1', '--strategy', 'newest-wins', '--yes', '--json']);
    expect(restored.code).toBe(0);
    expect((await server.http.get(`/api/restores/${restored.json().restoreId}`)).body.strategy).toBe('newest-wins');
    expect(await locationNames(server)).toEqual([]);

    const undone = await cli(['restore', 'undo', restored.json().restoreId, '--yes', '--json']);
    expect(undone.code).toBe(0);
    expect(await locationNames(server)).toEqual(['Berlin', 'Lisbon', 'Oslo', 'Paris']);
    const history = await cli(['restore', 'list', '--limit', '1', '--json']);
    expect(history.json()).toEqual({ items: [expect.objectContaining({ id: undone.json().restoreId, undoOf: restored.json().restoreId })], next: null });
  });

  it('restores to a restore point, and from a backup encrypted with a passphrase (needed to read it); deletes a backup', async () => {
    const oslo = async () => ((await server.http.get('/api/locations?limit=100')).body.items as { id: string; name: string }[]).find((l) => l.name === 'Oslo')!.id;
    const point = await cli(['restore', 'point', 'create', 'all four cities', '--json']);
    expect(point.code).toBe(0);
    const encrypted = await cli(['backup', 'create', '--passphrase', 'correct horse', '--json']);
    expect(encrypted.code).toBe(0);
    expect(encrypted.json()).toMatchObject({ encrypted: true, counts: { locations: 4 }, lastVerifyResult: 'ok' });
    const encryptedId = encrypted.json().id;
    expect((await cli(['backup', 'verify', encryptedId, '--passphrase', 'correct horse'])).code).toBe(0);

    await server.http.delete(`/api/locations/${await oslo()}`).set('X-Source', 'api').expect(204);
    const locked = await cli(['restore', 'run', '--backup', encryptedId, '--yes']);
    expect([locked.code, locked.stderr]).toEqual([2, expect.stringContaining('BACKUP.PASSPHRASE_REQUIRED')]);
    const wrong = await cli(['restore', 'preview', '--backup', encryptedId, '--passphrase', 'wrong horse', '--json']);
    expect(wrong.code).not.toBe(0);
    expect(JSON.parse(wrong.stderr.trim().split('\n').pop()!).error.code).toBe('BACKUP.WRONG_PASSPHRASE');
    const fromEncrypted = await cli(['restore', 'run', '--backup', encryptedId, '--passphrase', 'correct horse', '--yes', '--json']);
    expect(fromEncrypted.code).toBe(0);
    expect(await locationNames(server)).toEqual(['Berlin', 'Lisbon', 'Oslo', 'Paris']);

    await server.http.delete(`/api/locations/${await oslo()}`).set('X-Source', 'api').expect(204);
    const toPoint = await cli(['restore', 'preview', '--restore-point', point.json().id, '--json']);
    expect(toPoint.json()).toMatchObject({ target: { restorePointId: point.json().id }, counts: { locations: { added: 1, removed: 0 } } });
    expect((await cli(['restore', 'run', '--restore-point', point.json().id, '--yes'])).code).toBe(0);
    expect(await locationNames(server)).toEqual(['Berlin', 'Lisbon', 'Oslo', 'Paris']);

    const deleted = await cli(['backup', 'delete', encryptedId, '--yes', '--json']);
    expect(deleted.code).toBe(0);
    expect((await cli(['backup', 'list', '--json'])).json().items.map((b: { id: string }) => b.id)).not.toContain(encryptedId);
    expect((await cli(['backup', 'delete', encryptedId, '--yes'])).code).toBe(4);
  });

  it('refuses a held DATA_DIR (offline restore: 5, a second server: 1); stopped: unreachable (6), and the offline restore rebuilds an empty DATA_DIR from the backup file to --at', async () => {
    const held = await runCli(['restore', '--data-dir', dataDir, '--backup', backupFile, '--yes']);
    expect(held.code).toBe(5);
    expect(held.stderr).toContain('in use');
    const secondServer = await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0', SERVE_UI: 'false' });
    expect(secondServer.code).toBe(1);
    expect(secondServer.stdout + secondServer.stderr).toContain('DATA_DIR.IN_USE');

    const url = server.url;
    await server.stop();
    const unreachable = await runCli(['backup', 'list', '--url', url]);
    expect(unreachable.code).toBe(6);

    const fresh = join(work, 'recovered');
    const offline = await runCli(['restore', '--data-dir', fresh, '--backup', backupFile, '--at', beforeLastChange, '--yes', '--json']);
    expect(offline.code).toBe(0);
    expect(offline.json().steps.map((s: { target: object }) => Object.keys(s.target)[0])).toEqual(['backupId', 'at']);
    expect(existsSync(backupFile)).toBe(true);

    const revived = await ChildServer.start({ dataDir: fresh, readyTimeoutMs: READY_MS, env: { SERVE_UI: 'false' } });
    expect(await locationNames(revived)).toEqual(['Berlin', 'Lisbon', 'Paris']);
    // The backup's history came with it: the original import is in the audit trail, then the two restores.
    const imports = (await revived.http.get('/api/audit?type=DatasetImported')).body.items;
    expect(imports).toHaveLength(1);
    expect(imports[0].metadata.source).toBe('import');
    expect((await revived.http.get('/api/restores')).body.items).toHaveLength(2);
    await revived.stop();
  });

  it('restores offline from storage URLs: a backup object in S3, the newest backup of an rclone remote, the continuous archive in S3 (read only)', async () => {
    const fromCloud = join(work, 'from-s3');
    const offline = await runCli(['restore', '--data-dir', fromCloud, '--backup', `s3://${s3.bucket}/cli/${backupKey}`, '--yes', '--json'], s3.env());
    expect(offline.code).toBe(0);
    // Its history was adopted from the object read in S3: the restore starts at the backup's head.
    expect(offline.json().steps[0].result.basePosition).toBe(backupHead);
    expect(offline.stderr).toContain(`restoring ${backupKey}`);

    // rclone (its on-the-fly `:local` backend over the server's own backup folder): the newest backup there.
    // Only where rclone is installed (.ci/run installs it; elsewhere this step says it was skipped).
    if (spawnSync('rclone', ['version']).status === 0) {
      const viaRclone = await runCli(['restore', '--data-dir', join(work, 'from-rclone'), '--backup', `rclone::local:${join(dataDir, 'backups')}`, '--yes', '--json']);
      expect(viaRclone.code).toBe(0);
      expect(viaRclone.json().steps[0].target.backupId).toBe(offline.json().steps[0].target.backupId);
    } else console.warn('rclone is not installed: the CLI restore from an rclone remote is skipped (apt-get install rclone)');

    // The server archived its log to the same bucket, whose retention may since have pruned the segments
    // before its oldest backup's head: a restore from the storage alone is that backup + the segments after
    // it, here to one position past its head (only the archive holds it). It only reads the bucket: no
    // archiver claims a new epoch (fencing a writer still running there), though one would tick every 50 ms.
    const objectsBefore = s3.events.length;
    const fromArchive = await runCli(['restore', '--data-dir', join(work, 'from-archive'), '--position', String(backupHead + 1), '--yes', '--json'], {
      ...s3.env(),
      BACKUP_STORAGE: `file:${join(work, 'from-archive', 'backups')},s3://${s3.bucket}/cli`,
      ARCHIVE_STORAGE: `s3://${s3.bucket}/cli`,
      ARCHIVE_INTERVAL_MS: '50',
    });
    expect(fromArchive.code === 0 ? '' : fromArchive.stderr).toBe('');
    expect(s3.events.slice(objectsBefore)).toEqual([]);
    // The history came from the archive: the restore is based at the target position, past every backup's head.
    // (Not its phase line on stderr: progress is throttled to 10 a second, so a fast adoption's phase
    // may never be printed — CI saw it skipped once.)
    expect(fromArchive.json().steps[0].result.basePosition).toBe(backupHead + 1);
  });
});
