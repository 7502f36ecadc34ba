import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerKey } from '../../config/server-keys';
import { BackupRecord } from './backup-record';
import { newServerKeyedPayloadKey, openServerKeyedPayloadKey } from './payload-key';
import { openBackup } from './read-backup-records';
import { asAsync, INFO, smallState } from './testing/generated-state';
import { verifyBackup } from './verify-backup';
import { writeBackupFile } from './write-backup-file';

const k1: ServerKey = { id: 'k1', key: Buffer.alloc(32, 1) };
const k2: ServerKey = { id: 'k2', key: Buffer.alloc(32, 2) };

/** Payloads sealed with a server key: the manifest names its id, any reader holding it opens them, others are told which key is missing. */
describe('server-key encryption', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-format-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const path = () => join(dir, 'out.gvbk');
  const records = smallState();
  const write = (serverKey: ServerKey) => writeBackupFile(asAsync(records), { ...INFO, includesHistory: true }, path(), { compression: 'gzip', serverKey, tmpDir: dir });
  const read = async (keys: ServerKey[], passphrase?: string) => {
    const out: BackupRecord[] = [];
    for await (const record of (await openBackup(createReadStream(path()), { keys, passphrase })).records) out.push(record);
    return out;
  };

  it('a payload key per file: fresh salt and IV each time, opened only by the same key bytes', () => {
    const a = newServerKeyedPayloadKey(k1);
    const b = newServerKeyedPayloadKey(k1);
    expect(a.encryption).toMatchObject({ algorithm: 'aes-256-gcm', kdf: 'hkdf-sha256', keyId: 'k1' });
    expect(a.encryption.salt).not.toBe(b.encryption.salt);
    expect(a.key.key.equals(b.key.key)).toBe(false);
    expect(a.key.key.equals(k1.key)).toBe(false);
    expect(openServerKeyedPayloadKey(k1, a.encryption)).toEqual(a.key);
    expect(openServerKeyedPayloadKey({ id: 'k1', key: k2.key }, a.encryption)).toBeNull();
  });

  it('names the key id in the manifest, hides the content, and reads back with the keys (a passphrase is not needed nor used)', async () => {
    const manifest = await write(k1);
    expect(Object.keys(manifest.payload.encryption!).sort()).toEqual(['algorithm', 'iv', 'kdf', 'keyCheck', 'keyId', 'salt']);
    expect(manifest.payload.encryption).toMatchObject({ algorithm: 'aes-256-gcm', kdf: 'hkdf-sha256', keyId: 'k1' });
    const file = await readFile(path());
    expect(file.includes(Buffer.from('"t":"location"'))).toBe(false);
    const expected = JSON.parse(JSON.stringify(records));
    expect(await read([k1, k2])).toEqual(expected);
    expect(await read([k1], 'some passphrase')).toEqual(expected);
    const report = await verifyBackup(createReadStream(path()), { keys: [k2, k1] });
    expect(report).toMatchObject({ ok: true, error: null, contentChecked: true, restorable: { state: true, history: true } });
    expect(report.checks.slice(0, 5).map((c) => c.name)).toEqual(['magic', 'manifest', 'version', 'key', 'payload.size']);
  });

  it('without the key: BACKUP.KEY_MISSING naming it (422), never "damaged"; the bytes still verify as intact', async () => {
    await write(k1);
    for (const keys of [[], [k2]]) {
      await expect(read(keys)).rejects.toMatchObject({ code: 'BACKUP.KEY_MISSING', status: 422, details: { keyId: 'k1' }, message: expect.stringContaining('server key k1') });
    }
    const report = await verifyBackup(createReadStream(path()), { keys: [k2], passphrase: 'irrelevant' });
    expect(report).toMatchObject({ ok: false, contentChecked: false, restorable: { state: false, history: false }, error: { code: 'BACKUP.KEY_MISSING', details: { keyId: 'k1' } } });
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['key']);
    expect(report.checks.find((c) => c.name === 'payload.sha256')).toEqual({ name: 'payload.sha256', ok: true });
  });

  it('with other bytes under the same id: BACKUP.WRONG_KEY (422), before anything is decrypted', async () => {
    await write(k1);
    const impostor = { id: 'k1', key: k2.key };
    await expect(read([impostor])).rejects.toMatchObject({ code: 'BACKUP.WRONG_KEY', status: 422, details: { keyId: 'k1' } });
    const report = await verifyBackup(createReadStream(path()), { keys: [impostor] });
    expect(report).toMatchObject({ ok: false, contentChecked: false, error: { code: 'BACKUP.WRONG_KEY' } });
  });

  it('a passphrase and a server key together are refused by the writer', async () => {
    await expect(writeBackupFile(asAsync(records), { ...INFO, includesHistory: true }, path(), { compression: 'gzip', serverKey: k1, passphrase: 'x', tmpDir: dir })).rejects.toThrow(
      'a passphrase or a server key, not both',
    );
  });
});
