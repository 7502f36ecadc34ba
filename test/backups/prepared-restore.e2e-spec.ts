import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBackupFile } from '../../src/backups/format/write-backup-file';
import { backupLines } from '../../src/backups/writing/backup-lines';
import { SqliteStateReader } from '../../src/projections/sqlite/sqlite-state-reader';
import { TestApp, allAudit, startApp, waitForJob } from '../support/app-harness';
import { backupNow, backupsDir, download, filesIn, keyOf, seedGlobe, tmpDirOf, upload } from './backup-helpers';
import { counts, everything, expectStatus, getJson, headPosition, preview, restore, zeroCounts } from '../recovery/recovery-helpers';

/**
 * A backup made or uploaded here is prepared for its restore while it is written or verified
 * (PreparedBackups): its state (and, uploaded onto an empty log, its history) waits in DATA_DIR/tmp,
 * and the preview and restore use it instead of decoding the file again. These specs hold the
 * shortcut to the guarantees of the long way: the same state and audit trail, a stored file damaged
 * since still refused, a wrong passphrase still refused, and a projection that a rebuild from the
 * log reproduces exactly.
 */
describe('restoring a backup that was prepared while it was made or uploaded', () => {
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const app = await startApp(env);
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  /** The prepared files of a backup, once its preparation (a worker thread) has finished. */
  async function preparedFiles(dataDir: string, backupId: string, history: boolean): Promise<string[]> {
    const wanted = [`state-backup-${backupId}.sqlite`, ...(history ? [`history-backup-${backupId}.sqlite`] : [])];
    for (let i = 0; i < 200; i++) {
      const present = filesIn(tmpDirOf(dataDir));
      if (wanted.every((name) => present.includes(name))) return wanted;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`not prepared: ${wanted.join(', ')} (tmp holds ${filesIn(tmpDirOf(dataDir)).join(', ')})`);
  }

  async function sourceBackup(env: Record<string, string> = {}, body: Record<string, unknown> = {}) {
    const source = await start(env);
    await seedGlobe(source.http, 60);
    const backup = await backupNow(source.http, body);
    return { source, backup, file: (await download(source.http, backup.backupId)).bytes, state: await everything(source.http), audit: await allAudit(source.http, { order: 'asc' }) };
  }

  it('onto an empty instance: the upload prepares state and history; the restore adopts the history, starts the projection from the state, and a rebuild from the log agrees', async () => {
    const { file, state, audit } = await sourceBackup();
    const fresh = await start();
    const up = await upload(fresh.http, file);
    expectStatus(up, 201, 'upload');
    await preparedFiles(fresh.dataDir, up.body.id, true);

    const pv = await preview(fresh.http, { target: { backupId: up.body.id } });
    expect(pv.counts.locations.added).toBe(64);
    const done = await restore(fresh.http, { previewToken: pv.previewToken });
    // the live state was loaded from the backup's own state at the adopted head: nothing left to compensate
    expect(done.job.result.counts).toEqual(zeroCounts());
    expect(filesIn(tmpDirOf(fresh.dataDir)).filter((f) => f.includes(up.body.id))).toEqual([`state-backup-${up.body.id}.sqlite`]);

    expect(await everything(fresh.http)).toEqual(state);
    const freshAudit = await allAudit(fresh.http, { order: 'asc' });
    expect(freshAudit.slice(0, audit.length)).toEqual(audit);
    expect(freshAudit.slice(audit.length).map((e: { type: string }) => e.type)).toEqual(['RestorePointCreated', 'RestoreStarted', 'RestoreCompleted']);

    // the pre-restore snapshot (listed once a worker has finished it) is the backup's state at the adopted head
    let snapshot: { position: number; reason: string; stateHash: string } | undefined;
    for (let i = 0; i < 200 && !snapshot; i++) {
      const items = (await getJson(fresh.http, '/api/snapshots')).items as { position: number; reason: string; stateHash: string }[];
      snapshot = items.find((s) => s.reason === 'pre-restore');
      if (!snapshot) await new Promise((r) => setTimeout(r, 50));
    }
    expect(snapshot).toMatchObject({ position: audit.length, stateHash: up.body.stateHash });

    // the projection started from the backup's state is the fold of the adopted log
    const rebuild = await fresh.http.post('/api/projections/rebuild').send({});
    expectStatus(rebuild, 202, 'POST /api/projections/rebuild');
    expect((await waitForJob(fresh.http, rebuild.body.jobId, 60_000)).state).toBe('completed');
    expect(await everything(fresh.http)).toEqual(state);
  });

  it('a backup another app version wrote: the adopted history is folded by this projector (its state is not taken as the fold), and compensating events make up any difference', async () => {
    const source = await start();
    await seedGlobe(source.http, 30);
    // The file's state as another version's projector might have folded the same history: one
    // location named differently. (A copy of the read models, changed, with the log's history.)
    const copy = join(tmpdir(), `older-state-${Date.now()}.sqlite`);
    const out = join(tmpdir(), `older-${Date.now()}.gvbk`);
    const live = new Database(join(source.dataDir, 'read-models.sqlite'), { readonly: true });
    live.prepare('VACUUM INTO ?').run(copy);
    live.close();
    const changed = new Database(copy);
    const { id } = changed.prepare('SELECT id FROM locations ORDER BY id LIMIT 1').get() as { id: string };
    changed.prepare('UPDATE locations SET name = ? WHERE id = ?').run('Named by an older projector', id);
    changed.close();
    const reader = new SqliteStateReader(copy);
    try {
      const info = { appVersion: '0.0.9', createdAt: new Date().toISOString(), headPosition: reader.position, headRecordedAt: null, includesHistory: true };
      await writeBackupFile(backupLines(reader, { logFile: join(source.dataDir, 'events.sqlite') }), info, out, { compression: 'gzip', tmpDir: tmpdir() });
    } finally {
      reader.close();
      rmSync(copy, { force: true });
    }
    const expected = await everything(source.http);
    expected.locations = expected.locations.map((l: { id: string; name: string }) => (l.id === id ? { ...l, name: 'Named by an older projector' } : l));

    const fresh = await start();
    const up = await upload(fresh.http, readFileSync(out));
    rmSync(out, { force: true });
    expectStatus(up, 201, 'upload');
    await preparedFiles(fresh.dataDir, up.body.id, true);
    const pv = await preview(fresh.http, { target: { backupId: up.body.id } });
    const done = await restore(fresh.http, { previewToken: pv.previewToken });
    // folded, then compensated: the one location the fold names differently is changed back to the file's
    expect(done.job.result.counts).toEqual(counts({ locations: { changed: 1 } }));
    expect(await everything(fresh.http)).toEqual(expected);
    expect(await headPosition(fresh.http)).toBe(up.body.headPosition + 4);
  });

  it('a stored file damaged after the upload is refused by the preview, although its state was prepared, and nothing is written', async () => {
    const { file } = await sourceBackup();
    const fresh = await start();
    const up = await upload(fresh.http, file);
    expectStatus(up, 201, 'upload');
    await preparedFiles(fresh.dataDir, up.body.id, true);
    const stored = join(backupsDir(fresh.dataDir), keyOf(up.body));
    const bytes = readFileSync(stored);
    bytes[bytes.length - 100] ^= 0x01;
    writeFileSync(stored, bytes);

    const res = await fresh.http.post('/api/restores/preview').send({ target: { backupId: up.body.id } });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'BACKUP.CHECKSUM_MISMATCH' });
    expect(await headPosition(fresh.http)).toBe(0);
    expect(existsSync(join(tmpDirOf(fresh.dataDir), `state-backup-${up.body.id}.sqlite`))).toBe(false);
  });

  it('an encrypted upload is prepared for its passphrase only: a wrong one is refused before anything is adopted, the right one restores', async () => {
    const passphrase = 'correct horse battery staple';
    const { file, state } = await sourceBackup({}, { passphrase });
    const fresh = await start();
    const up = await upload(fresh.http, file, passphrase);
    expectStatus(up, 201, 'upload');
    await preparedFiles(fresh.dataDir, up.body.id, true);

    const wrong = await fresh.http.post('/api/restores/preview').send({ target: { backupId: up.body.id, passphrase: 'wrong horse' } });
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 422, code: 'BACKUP.WRONG_PASSPHRASE' });
    const pv = await preview(fresh.http, { target: { backupId: up.body.id, passphrase } });
    const started = await fresh.http.post('/api/restores').send({ previewToken: pv.previewToken, passphrase: 'wrong horse' });
    if (started.status === 202) {
      const job = await waitForJob(fresh.http, started.body.jobId, 60_000);
      expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code: 'BACKUP.WRONG_PASSPHRASE' });
    } else {
      expect({ status: started.status, code: started.body.code }).toEqual({ status: 422, code: 'BACKUP.WRONG_PASSPHRASE' });
    }
    expect(await headPosition(fresh.http)).toBe(0);

    await restore(fresh.http, { previewToken: pv.previewToken, passphrase });
    expect(await everything(fresh.http)).toEqual(state);
  });

  it('a backup made here: its state is copied after the backup and stands in for the file, which is still checked', async () => {
    const { source, backup, state } = await sourceBackup();
    await preparedFiles(source.dataDir, backup.backupId, false);
    const datasetId = state.datasets[0].id;
    expectStatus(await source.http.delete(`/api/datasets/${datasetId}`), 204, 'DELETE dataset');

    const pv = await preview(source.http, { target: { backupId: backup.backupId }, scope: { datasets: [datasetId] } });
    const removed = state.locations.filter((l: { datasetId: string }) => l.datasetId === datasetId).length;
    expect(pv.counts).toEqual(counts({ datasets: { added: 1 }, locations: { added: removed } }));
    // the preview's state is the copy (a state read from the file would be a new scratch file)
    expect(filesIn(tmpDirOf(source.dataDir)).filter((f) => f.startsWith('state-backup-'))).toEqual([`state-backup-${backup.backupId}.sqlite`]);
    await restore(source.http, { previewToken: pv.previewToken });
    expect(await everything(source.http)).toEqual(state);
  });

  it('a backup made here whose stored file was damaged since is refused, copy or not', async () => {
    const { source, backup } = await sourceBackup();
    await preparedFiles(source.dataDir, backup.backupId, false);
    const stored = join(backupsDir(source.dataDir), keyOf(backup.view));
    const bytes = readFileSync(stored);
    bytes[bytes.length - 10] ^= 0x40;
    writeFileSync(stored, bytes);
    const before = await headPosition(source.http);
    const res = await source.http.post('/api/restores/preview').send({ target: { backupId: backup.backupId } });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'BACKUP.CHECKSUM_MISMATCH' });
    expect(await headPosition(source.http)).toBe(before);
  });
});
