import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildServer, killAllChildServers } from '../support/child-server';
import { runCli, runCliOnTerminal } from '../support/run-cli';
import { startS3Server, TestS3Server } from '../support/s3-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  let importedThrough: number;
  let datasetId: string;
  /** A moment after the import and before the location added later: the offline restore's --at. */
  let beforeLastChange: string;
  const cli = (args: string[]) => runCli([...args, '--url', server.url]);
  const locationNames = async (s: ChildServer) => ((await s.http.get('/api/locations?limit=100')).body.items as { name: string }[]).map((l) => l.name).sort();

  beforeAll(async () => {
    s3 = await startS3Server();
    // Every backup goes to the DATA_DIR's folder and to a real S3 server (s3rver).
    server = await ChildServer.start({ dataDir, env: { SERVE_UI: 'false', BACKUP_STORAGE: `file:${join(dataDir, 'backups')},s3://${s3.bucket}/cli`, ...s3.env() } });
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
    importedThrough = imported.json().result.lastPosition;
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

    const listed = await cli(['backup', 'list', '--json']);
    expect(listed.json().map((b: { id: string }) => b.id)).toContain(backup.id);
    const downloaded = await cli(['backup', 'download', backup.id, '-o', backupFile]);
    expect(downloaded.code).toBe(0);
    expect(statSync(backupFile).size).toBe(backup.size);
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
  });

  it('previews, restores with --yes and undoes through the server', async () => {
    const preview = await cli(['restore', 'preview', '--position', '1', '--scope', `dataset:${datasetId}`, '--json']);
    expect(preview.code).toBe(0);
    expect(preview.json().counts.locations.removed).toBe(4);

    const restored = await cli(['restore', 'run', '--position', '1', '--strategy', 'newest-wins', '--yes', '--json']);
    expect(restored.code).toBe(0);
    expect((await server.http.get(`/api/restores/${restored.json().restoreId}`)).body.strategy).toBe('newest-wins');
    expect(await locationNames(server)).toEqual([]);

    const undone = await cli(['restore', 'undo', restored.json().restoreId, '--yes']);
    expect(undone.code).toBe(0);
    expect(await locationNames(server)).toEqual(['Berlin', 'Lisbon', 'Oslo', 'Paris']);
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

    const revived = await ChildServer.start({ dataDir: fresh, env: { SERVE_UI: 'false' } });
    expect(await locationNames(revived)).toEqual(['Berlin', 'Lisbon', 'Paris']);
    // The backup's history came with it: the original import is in the audit trail, then the two restores.
    const imports = (await revived.http.get('/api/audit?type=DatasetImported')).body.items;
    expect(imports).toHaveLength(1);
    expect(imports[0].metadata.source).toBe('import');
    expect((await revived.http.get('/api/restores')).body.items).toHaveLength(2);
    await revived.stop();
  });

  it('restores offline from storage URLs: a backup object in S3, the newest backup of an rclone remote, the continuous archive in S3 to --at', async () => {
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

    // The server archived its log to the same bucket (the first remote BACKUP_STORAGE): no backup needed.
    const fromArchive = await runCli(['restore', '--data-dir', join(work, 'from-archive'), '--at', beforeLastChange, '--yes', '--json'], {
      ...s3.env(),
      ARCHIVE_STORAGE: `s3://${s3.bucket}/cli`,
    });
    expect(fromArchive.code).toBe(0);
    // The history came from the archive: the restore is based at the last archived import's position.
    // (Not its phase line on stderr: progress is throttled to 10 a second, so a fast adoption's phase
    // may never be printed — CI saw it skipped once.)
    expect(fromArchive.json().steps[0].result.basePosition).toBe(importedThrough);
  });
});
