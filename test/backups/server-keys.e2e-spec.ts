import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupScheduler } from '../../src/backups/writing/backup-scheduler';
import { backupStateKey, PreparedBackups } from '../../src/backups/prepared/prepared-backups';
import { keyIdOf } from '../../src/config/server-keys';
import { TestApp, restartApp, sleep, startApp, waitForJob } from '../support/app-harness';
import { ChildServer } from '../support/child-server';
import { expectStatus, getJson, patch, preview, restore } from '../recovery/recovery-helpers';
import { backupNow, download, jobOfBackup, listBackups, manifestOf, seedGlobe, upload } from './backup-helpers';

/**
 * Backups encrypted with the server's key (BACKUP_KEY / BACKUP_KEY_FILE) through HTTP, across
 * restarts that rotate the keys: backup A with k1; then k1,k2 (k2 current): B uses k2, A still
 * verifies, drills and restores; then only k2: A answers KEY_MISSING (never "damaged"), B still
 * restores and round-trips through download and upload; then other bytes under A's id: WRONG_KEY.
 */
const K1 = Buffer.alloc(32, 0x11);
const K2 = Buffer.alloc(32, 0x22);
const K3 = Buffer.alloc(32, 0x33);
const K1_ID = keyIdOf(K1);
const PASSPHRASE = 'correct horse battery';

describe('server keys: encrypted backups without a passphrase, rotation, missing and wrong keys (e2e)', () => {
  let t: TestApp;
  let dataDir: string;
  const phase = async (env: Record<string, string>) => {
    await t.stop();
    t = await restartApp(dataDir, env);
  };
  const verify = async (id: string) => {
    const res = await t.http.post(`/api/backups/${id}/verify`).send({});
    expectStatus(res, 200, `verify ${id}`);
    return res.body;
  };
  const drill = async (id: string) => (await t.http.post(`/api/backups/${id}/drill`)).body;
  const theme = async () => (await getJson(t.http, '/api/settings')).theme;
  let a: any;
  let b: any;
  let withPassphrase: any;
  let aBytes: Buffer;
  let tokenForA: string;

  beforeAll(async () => {
    t = await startApp();
    dataDir = t.dataDir;
  });
  afterAll(async () => {
    await sleep(1100); // the scheduler's after-backup retention polls its job once a second
    await t?.close();
  });

  it('without a key, encrypt: true (backups and schedules) answers 400 BACKUP.KEY_NOT_CONFIGURED and starts nothing', async () => {
    await seedGlobe(t.http, 12);
    const res = await t.http.post('/api/backups').send({ encrypt: true });
    expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({
      status: 400,
      code: 'BACKUP.KEY_NOT_CONFIGURED',
      message: 'encrypt without a passphrase needs a server key: set BACKUP_KEY or BACKUP_KEY_FILE, or give a passphrase',
    });
    expect((await getJson(t.http, '/api/jobs', { kind: 'backup' })).items).toEqual([]);
    const schedule = await t.http.put('/api/backup-schedules').send({ schedules: [{ id: 'e', frequency: 'daily', encrypt: true }] });
    expect({ status: schedule.status, code: schedule.body.code }).toEqual({ status: 400, code: 'BACKUP.KEY_NOT_CONFIGURED' });
    // the Backup Manager offers "with the server's key" only when health names one
    expect((await getJson(t.http, '/api/backups/health')).serverKeyId).toBeNull();
    const contradiction = await t.http.post('/api/backups').send({ encrypt: false, passphrase: PASSPHRASE });
    expect({ status: contradiction.status, code: contradiction.body.code }).toEqual({ status: 400, code: 'BACKUP.INVALID_INPUT' });
  });

  it('with k1: encrypt: true seals with k1 (the manifest names its id, the content is unreadable), verifies with no passphrase; a passphrase still works as before', async () => {
    await phase({ BACKUP_KEY: K1.toString('base64') });
    const made = await backupNow(t.http, { encrypt: true });
    a = made.view;
    expect(made.job.params).toMatchObject({ encrypted: true });
    expect({ encrypted: a.encrypted, keyId: a.keyId, lastVerifyResult: a.lastVerifyResult }).toEqual({ encrypted: true, keyId: K1_ID, lastVerifyResult: 'ok' });
    aBytes = (await download(t.http, a.id)).bytes;
    const encryption = manifestOf(aBytes).payload.encryption;
    expect(Object.keys(encryption).sort()).toEqual(['algorithm', 'iv', 'kdf', 'keyCheck', 'keyId', 'salt']);
    expect(encryption).toMatchObject({ algorithm: 'aes-256-gcm', kdf: 'hkdf-sha256', keyId: K1_ID });
    expect(aBytes.includes(Buffer.from('Cities A'))).toBe(false);
    expect(await verify(a.id)).toMatchObject({ ok: true, contentChecked: true, restorable: { state: true, history: true } });

    withPassphrase = (await backupNow(t.http, { encrypt: true, passphrase: PASSPHRASE })).view;
    expect({ encrypted: withPassphrase.encrypted, keyId: withPassphrase.keyId }).toEqual({ encrypted: true, keyId: null });
    expect(manifestOf((await download(t.http, withPassphrase.id)).bytes).payload.encryption).toMatchObject({ kdf: 'scrypt' });
    expect(await verify(withPassphrase.id)).toMatchObject({ ok: true, contentChecked: false });
    const restoreWithout = await t.http.post('/api/restores/preview').send({ target: { backupId: withPassphrase.id } });
    expect({ status: restoreWithout.status, code: restoreWithout.body.code }).toEqual({ status: 400, code: 'BACKUP.PASSPHRASE_REQUIRED' });
  });

  it('with k1,k2 (k2 current): new and scheduled backups use k2; A still verifies, drills and restores with no passphrase', async () => {
    await phase({ BACKUP_KEY: `${K1.toString('hex')}\nk2:${K2.toString('base64')}` });
    b = (await backupNow(t.http, { encrypt: true })).view;
    expect(b.keyId).toBe('k2');
    expect((await getJson(t.http, '/api/backups/health')).serverKeyId).toBe('k2');
    expect(manifestOf((await download(t.http, b.id)).bytes).payload.encryption.keyId).toBe('k2');

    const put = await t.http.put('/api/backup-schedules').send({ schedules: [{ id: 'nightly', frequency: 'daily', encrypt: true }] });
    expectStatus(put, 200, 'PUT encrypted schedule');
    const scheduledId = await t.app.get(BackupScheduler).runScheduled(put.body.schedules[0], put.body.retention);
    expect((await jobOfBackup(t.http, scheduledId)).state).toBe('completed');
    const scheduled = await getJson(t.http, `/api/backups/${scheduledId}`);
    expect({ kind: scheduled.kind, encrypted: scheduled.encrypted, keyId: scheduled.keyId }).toEqual({ kind: 'scheduled', encrypted: true, keyId: 'k2' });
    expect(await drill(scheduledId)).toMatchObject({ ok: true, restoredStateHash: scheduled.stateHash, error: null });

    expect(await verify(a.id)).toMatchObject({ ok: true, contentChecked: true });
    expect(await drill(a.id)).toMatchObject({ ok: true, restoredStateHash: a.stateHash, error: null });
    await patch(t.http, '/api/settings', { theme: 'light' });
    const pv = await preview(t.http, { target: { backupId: a.id } });
    await restore(t.http, { previewToken: pv.previewToken });
    expect(await theme()).toBe('dark');

    // a token for A, used once A's key is gone
    await patch(t.http, '/api/settings', { theme: 'light' });
    tokenForA = (await preview(t.http, { target: { backupId: a.id } })).previewToken;
  });

  it('with only k2: A answers BACKUP.KEY_MISSING naming k1 (preview, restore, verify, drill, upload) and is not marked damaged; B restores and round-trips', async () => {
    await phase({ BACKUP_KEY: `k2:${K2.toString('hex')}` });
    const missing = { code: 'BACKUP.KEY_MISSING', details: { keyId: K1_ID } };
    const started = await t.http.post('/api/restores').send({ previewToken: tokenForA });
    expect({ status: started.status, ...started.body }).toMatchObject({ status: 422, ...missing });
    expect(started.body.message).toContain(`server key ${K1_ID}`);
    const pv = await t.http.post('/api/restores/preview').send({ target: { backupId: a.id } });
    expect({ status: pv.status, ...pv.body }).toMatchObject({ status: 422, ...missing });
    expect(await verify(a.id)).toMatchObject({ ok: false, contentChecked: false, error: missing });
    expect((await getJson(t.http, `/api/backups/${a.id}`)).lastVerifyResult).toBe('ok');
    expect(await drill(a.id)).toMatchObject({ ok: false, error: 'BACKUP.KEY_MISSING' });
    const before = (await listBackups(t.http)).length;
    const uploaded = await upload(t.http, aBytes);
    expect({ status: uploaded.status, code: uploaded.body.code, error: uploaded.body.details.error }).toMatchObject({ status: 422, code: missing.code, error: missing });
    expect(await listBackups(t.http)).toHaveLength(before);

    const restoredB = await preview(t.http, { target: { backupId: b.id } });
    await restore(t.http, { previewToken: restoredB.previewToken });
    expect(await theme()).toBe('dark');

    const bBytes = (await download(t.http, b.id)).bytes;
    const res = await upload(t.http, bBytes);
    expectStatus(res, 201, 'upload B without a passphrase');
    expect({ kind: res.body.kind, encrypted: res.body.encrypted, keyId: res.body.keyId, lastVerifyResult: res.body.lastVerifyResult }).toEqual({
      kind: 'uploaded',
      encrypted: true,
      keyId: 'k2',
      lastVerifyResult: 'ok',
    });
    // the preparation thread read the upload with k2 too (its state is ready); taken here, so the preview reads the file
    const prepared = t.app.get(PreparedBackups).takeState(backupStateKey(res.body.id, undefined));
    const statePath = await prepared?.path;
    expect(statePath).toContain(`state-backup-${res.body.id}.sqlite`);
    rmSync(statePath!, { force: true });
    await patch(t.http, '/api/settings', { theme: 'light' });
    await restore(t.http, { previewToken: (await preview(t.http, { target: { backupId: res.body.id } })).previewToken });
    expect(await theme()).toBe('dark');
  });

  it("with other bytes under A's key id: BACKUP.WRONG_KEY, not a damaged file", async () => {
    await phase({ BACKUP_KEY: `${K1_ID}:${K3.toString('hex')}` });
    const wrong = { code: 'BACKUP.WRONG_KEY', details: { keyId: K1_ID } };
    const pv = await t.http.post('/api/restores/preview').send({ target: { backupId: a.id } });
    expect({ status: pv.status, ...pv.body }).toMatchObject({ status: 422, ...wrong });
    expect(await verify(a.id)).toMatchObject({ ok: false, contentChecked: false, error: wrong });
    expect((await getJson(t.http, `/api/backups/${a.id}`)).lastVerifyResult).toBe('ok');
  });
});

describe('BACKUP_KEY_FILE, read by the built server at start-up (e2e, child process)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'gv-keyfile-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start with a key file other users can read, saying which and why (never the key); starts once it is private and seals with its last key', async () => {
    const file = join(dir, 'backup.keys');
    writeFileSync(file, `# keys, oldest first\nold:${K1.toString('hex')}\nnew:${K2.toString('base64')}\n`);
    chmodSync(file, 0o644);
    const env = { BACKUP_KEY_FILE: file };
    const refused = await ChildServer.start({ dataDir: join(dir, 'data'), env, readyTimeoutMs: 20_000 }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toContain(`BACKUP_KEY_FILE: ${file} is accessible to every user (mode 0644): make it private, e.g. chmod 600 ${file}`);
    for (const key of [K1.toString('hex'), K2.toString('base64')]) expect(refused).not.toContain(key);

    chmodSync(file, 0o600);
    const child = await ChildServer.start({ dataDir: join(dir, 'data'), env });
    try {
      const res = await child.http.post('/api/backups').send({ encrypt: true });
      expectStatus(res, 202, 'POST /api/backups {encrypt: true}');
      expect((await waitForJob(child.http, res.body.jobId, 60_000)).state).toBe('completed');
      expect((await getJson(child.http, `/api/backups/${res.body.backupId}`)).keyId).toBe('new');
    } finally {
      await child.stop();
    }
  });
});
