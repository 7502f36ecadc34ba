import Database from 'better-sqlite3';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeBackupHeader, sha256Hex } from '../../src/backups/format/backup-header';
import { TestApp, Http, createDataset, csv, restartApp, startApp, waitForJob } from '../support/app-harness';
import { backupNow, download, manifestOf, payloadOffset, upload } from '../backups/backup-helpers';
import { headPosition, importCsv, patch, preview, restore } from '../recovery/recovery-helpers';

/**
 * The log proves it was not rewritten: every event's hash chains to the previous one, through
 * imports, edits, restores, a restart and a backup restored with its history on a fresh instance;
 * `GET /api/audit/verify` finds the first position an edit, a deletion or a swap made in the file breaks.
 */
describe('GET /api/audit/verify: the tamper-evident log', () => {
  let app: TestApp;
  let fresh: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    await fresh?.close();
    fresh = undefined;
  });

  const logFile = (t: TestApp) => join(t.dataDir, 'events.sqlite');
  const hashAt = (t: TestApp, position: number) =>
    new Database(logFile(t), { readonly: true }).prepare('SELECT hash FROM events WHERE position = ?').pluck().get(position) as string;
  async function verify(http: Http): Promise<any> {
    const res = await http.get('/api/audit/verify').expect(200);
    expect(res.body.jobId).toEqual(expect.any(String));
    return res.body;
  }
  async function seed(http: Http): Promise<string> {
    const ds = await createDataset(http, { name: 'Chained' });
    await importCsv(http, ds.id, csv(300));
    await patch(http, '/api/settings', { theme: 'dark' });
    await patch(http, `/api/datasets/${ds.id}`, { name: 'Chained, renamed' });
    return ds.id;
  }

  it('holds through imports, edits, a restore, a restart, and a backup with history restored on a fresh instance; snapshots and manifests carry the head', async () => {
    app = await startApp();
    const datasetId = await seed(app.http);
    const beforeEdits = await headPosition(app.http);
    await patch(app.http, `/api/datasets/${datasetId}`, { name: 'Renamed again' });
    const token = (await preview(app.http, { target: { position: beforeEdits } })).previewToken;
    expect((await restore(app.http, { previewToken: token })).job.state).toBe('completed');

    const snapshotJob = await app.http.post('/api/snapshots').expect(202);
    const snapshot = (await waitForJob(app.http, snapshotJob.body.jobId)).result;
    expect(snapshot.chainHead).toBe(hashAt(app, snapshot.position));
    const backup = await backupNow(app.http, { includeHistory: true });
    const { bytes } = await download(app.http, backup.backupId);
    const manifest = manifestOf(bytes);
    expect(manifest.chainHead).toEqual({ position: manifest.headPosition, hash: hashAt(app, manifest.headPosition) });

    const head = await headPosition(app.http);
    const report = await verify(app.http);
    expect(report).toMatchObject({ ok: true, verifiedFrom: 1, verifiedThrough: head, headHash: hashAt(app, head) });
    expect(report.firstBrokenPosition).toBeUndefined();

    // As a job: 202 at once, the report as its result, progress in events walked.
    const queued = await app.http.get('/api/audit/verify').query({ wait: 'false' }).expect(202);
    const job = await waitForJob(app.http, queued.body.jobId);
    expect(job).toMatchObject({ kind: 'audit-verify', state: 'completed', done: head, total: head, result: { ok: true, verifiedThrough: head } });

    // A restart continues the chain.
    await app.stop();
    app = await restartApp(app.dataDir);
    await patch(app.http, '/api/settings', { theme: 'light' });
    expect(await verify(app.http)).toMatchObject({ ok: true, verifiedThrough: head + 1 });

    // The backup's history keeps its chain on a fresh instance, and the restore's own events continue it.
    fresh = await startApp();
    const uploaded = await upload(fresh.http, bytes);
    expect(uploaded.status).toBe(201);
    const freshToken = (await preview(fresh.http, { target: { backupId: uploaded.body.id } })).previewToken;
    expect((await restore(fresh.http, { previewToken: freshToken })).job.state).toBe('completed');
    expect(hashAt(fresh, manifest.headPosition)).toBe(manifest.chainHead.hash);
    const freshHead = await headPosition(fresh.http);
    expect(freshHead).toBeGreaterThan(manifest.headPosition);
    expect(await verify(fresh.http)).toMatchObject({ ok: true, verifiedFrom: 1, verifiedThrough: freshHead });
  }, 120_000);

  it('refuses to adopt a backup history edited since it was written, even one whose file checksums were made again', async () => {
    app = await startApp();
    await seed(app.http);
    const backup = await backupNow(app.http, { includeHistory: true, compression: 'gzip' });
    const { bytes } = await download(app.http, backup.backupId);
    // A careful forger: one event's actor changed, the payload and manifest checksums recomputed.
    const lines = gunzipSync(bytes.subarray(payloadOffset(bytes))).toString('utf8').split('\n');
    const target = lines.findIndex((l) => l.startsWith('{"t":"event"') && l.includes('"position":3,'));
    expect(lines[target]).toMatch(/"hash":"[0-9a-f]{64}"/);
    lines[target] = lines[target].replace(/"actor":"[^"]*"/, '"actor":"mallory"');
    const raw = Buffer.from(lines.join('\n'), 'utf8');
    const payload = gzipSync(raw);
    const manifest = manifestOf(bytes);
    const forgedManifest = { ...manifest, payload: { ...manifest.payload, bytes: payload.length, rawBytes: raw.length, sha256: sha256Hex(payload) } };
    const forged = Buffer.concat([encodeBackupHeader(forgedManifest), payload]);

    fresh = await startApp();
    const uploaded = await upload(fresh.http, forged);
    expect(uploaded.status).toBe(201);
    const token = (await preview(fresh.http, { target: { backupId: uploaded.body.id } })).previewToken;
    const res = await fresh.http.post('/api/restores').send({ previewToken: token }).expect(202);
    const job = await waitForJob(fresh.http, res.body.jobId, 60_000);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'EVENTS.CHAIN_MISMATCH', details: { position: 3 } } });
    expect(await headPosition(fresh.http)).toBe(0);
  }, 90_000);

  it.each([
    ['an altered event', (db: Database.Database) => db.prepare(`UPDATE events SET data = replace(data, 'Chained', 'Forged') WHERE position = 1`).run(), 1],
    ['a deleted event', (db: Database.Database) => db.prepare('DELETE FROM events WHERE position = 3').run(), 3],
    [
      "two events' data swapped",
      (db: Database.Database) => {
        const [a, b] = db.prepare('SELECT data FROM events WHERE position IN (2, 4) ORDER BY position').pluck().all();
        db.prepare('UPDATE events SET data = ? WHERE position = 2').run(b);
        db.prepare('UPDATE events SET data = ? WHERE position = 4').run(a);
      },
      2,
    ],
  ])('reports %s in the file at its position', async (_what, tamper, position) => {
    app = await startApp();
    await seed(app.http);
    expect((await verify(app.http)).ok).toBe(true);
    const db = new Database(logFile(app));
    tamper(db);
    db.close();
    const report = await verify(app.http);
    expect(report).toMatchObject({ ok: false, verifiedFrom: 1, verifiedThrough: position - 1, firstBrokenPosition: position, reason: expect.any(String) });
  }, 60_000);

  it('gives a log of the pre-chain schema its chain when the service starts on it', async () => {
    app = await startApp();
    await seed(app.http);
    const head = await headPosition(app.http);
    const hashes = new Database(logFile(app), { readonly: true }).prepare('SELECT hash FROM events ORDER BY position').pluck().all();
    await app.stop();
    // Back to the schema of commit a974634: no hash column, no chain base.
    const db = new Database(logFile(app));
    db.exec('ALTER TABLE events DROP COLUMN hash; DROP TABLE events_chain_base;');
    db.close();
    app = await restartApp(app.dataDir);
    expect(new Database(logFile(app), { readonly: true }).prepare('SELECT hash FROM events ORDER BY position').pluck().all()).toEqual(hashes);
    await patch(app.http, '/api/settings', { theme: 'light' });
    expect(await verify(app.http)).toMatchObject({ ok: true, verifiedThrough: head + 1 });
  }, 60_000);
});
