import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allAudit, createDataset, csv, sleep } from '../support/app-harness';
import { ChildServer, freePort, killAllChildServers } from '../support/child-server';
import { archiveCaughtUp } from '../archive/archive-helpers';
import { addLocation, everything, expectStatus, getJson, importCsv, preview, restore } from '../recovery/recovery-helpers';
import { backupNow } from './backup-helpers';

/**
 * BACKUP_STORAGE=rclone:<remote>:<path> against a real rclone remote: `rclone serve webdav` on a
 * local folder, reached through a generated rclone config (RCLONE_CONFIG) as a user's own Drive or
 * Dropbox remote would be. A backs up there (and archives its log there: the archive defaults to the
 * first remote storage); B, with an empty DATA_DIR and the same remote, lists the backup and
 * restores A's last archived position from it and the segments after it.
 * Skipped, and says so, when rclone is not installed (`apt-get install rclone`; .ci/run installs it).
 */
const hasRclone = spawnSync('rclone', ['version']).status === 0;
if (!hasRclone) console.warn('rclone is not installed: the rclone storage e2e spec is skipped (apt-get install rclone)');
const describeWithRclone = hasRclone ? describe : describe.skip;

describeWithRclone('rclone storage (e2e, a real WebDAV remote served by rclone)', () => {
  let root: string;
  let served: string;
  let webdav: ChildProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gv-rclone-e2e-'));
    served = join(root, 'served');
    mkdirSync(served);
    const port = await freePort();
    webdav = spawn('rclone', ['serve', 'webdav', served, '--addr', `127.0.0.1:${port}`], { stdio: 'ignore' });
    const config = join(root, 'rclone.conf');
    writeFileSync(config, `[gv-webdav]\ntype = webdav\nurl = http://127.0.0.1:${port}/\nvendor = other\n`);
    env = { RCLONE_CONFIG: config, BACKUP_STORAGE: 'rclone:gv-webdav:globe', ARCHIVE_INTERVAL_MS: '200' };
    const deadline = Date.now() + 10_000;
    while (!(await fetch(`http://127.0.0.1:${port}/`, { method: 'PROPFIND', headers: { Depth: '0' } }).then((r) => r.status < 500).catch(() => false))) {
      if (Date.now() > deadline) throw new Error('rclone serve webdav did not answer');
      await sleep(50);
    }
  });
  afterAll(async () => {
    await killAllChildServers();
    webdav?.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  });

  it('a backup goes to the remote; a fresh instance lists it there and restores from it and the archived segments after it', async () => {
    const a = await ChildServer.start({ dataDir: join(root, 'a'), env });
    const dataset = await createDataset(a.http, { name: 'Over rclone' });
    await importCsv(a.http, dataset.id, csv(200));
    const { view } = await backupNow(a.http);
    expect(view.storage).toBe('rclone:gv-webdav:globe');
    expect(view.copies).toEqual([expect.objectContaining({ storage: 'rclone:gv-webdav:globe', state: 'verified', size: view.size, lastError: null })]);
    // The object is in the served folder under its key, whole, and nothing half-written beside it.
    expect(readdirSync(join(served, 'globe')).filter((n) => n.endsWith('.gvbk'))).toEqual([view.key]);
    expect(readdirSync(join(served, 'globe')).filter((n) => n.startsWith('.partial-'))).toEqual([]);
    await addLocation(a.http, dataset.id, { name: 'after the backup', latitude: 10, longitude: 20 });
    const archived = await archiveCaughtUp(a.http);
    expect(archived).toMatchObject({ storage: 'rclone:gv-webdav:globe', lastError: null });
    expect(existsSync(join(served, 'globe', 'archive', '00000001'))).toBe(true);
    const atHead = await everything(a.http);
    const trail = await allAudit(a.http);
    await a.kill('SIGKILL');
    rmSync(join(root, 'a'), { recursive: true, force: true });

    const b = await ChildServer.start({ dataDir: join(root, 'b'), env });
    const listed = (await getJson(b.http, '/api/backups')).items;
    expect(listed).toEqual([expect.objectContaining({ id: view.id, kind: 'found', headPosition: view.headPosition, size: view.size, copies: [expect.objectContaining({ storage: view.storage, state: 'stored' })] })]);
    const verified = await b.http.post(`/api/backups/${view.id}/verify`).send({});
    expectStatus(verified, 200, 'verify on B');
    expect(verified.body.ok).toBe(true);
    const toHead = await preview(b.http, { target: { position: archived.archivedPosition } });
    expect(toHead.archive.objects[0]).toMatchObject({ kind: 'backup', key: view.key, storage: view.storage, bytes: view.size });
    expect(toHead.archive.objects.slice(1).length).toBeGreaterThan(0);
    await restore(b.http, { previewToken: toHead.previewToken });
    expect(await everything(b.http)).toEqual(atHead);
    expect((await allAudit(b.http)).slice(0, trail.length)).toEqual(trail);
  }, 180_000);
});
