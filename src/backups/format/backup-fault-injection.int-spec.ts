import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';
import { BackupManifest, Compression } from './backup-manifest';
import { openBackup, readBackupRecords } from './read-backup-records';
import { asAsync, chunked, INFO, smallState } from './testing/generated-state';
import { handMadeBackup, payloadOffset, withManifest } from './testing/hand-made-backup';
import { verifyBackup } from './verify-backup';
import { verifyWrittenCopy } from './verify-written-copy';
import { writeBackupFile } from './write-backup-file';

/**
 * Damage of every kind is detected, by verifyBackup (never throwing, ok: false) and by a reader
 * (throwing), with the code that names it.
 */
describe('native backup fault injection', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-faults-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /**
   * Encrypted files use scrypt N = 2^10 (the manifest records N, a reader uses what it says): at the
   * real 2^15 each verify would cost ~100 ms. The key derivation's cost does not change what is
   * detected; the round-trip spec covers 2^15.
   */
  async function backupFile(compression: Compression, passphrase?: string, locations = 20): Promise<Buffer> {
    const out = join(dir, `${compression}-${passphrase ?? 'plain'}-${locations}.gvb`);
    await writeBackupFile(asAsync(smallState(locations)), { ...INFO, includesHistory: true }, out, { compression, passphrase, tmpDir: dir, scryptN: 2 ** 10 });
    return readFile(out);
  }
  /**
   * Every position of a plain file. For an encrypted one, every header position (refused before any
   * key is derived) and `sample` payload positions spread evenly from its first byte to the tag's
   * last, since each of those costs two key derivations.
   */
  const positions = (file: Buffer, encrypted: boolean, sample = 300, from = 0): number[] => {
    const all = Array.from({ length: file.length - from }, (_, i) => from + i);
    if (!encrypted) return all;
    const at = payloadOffset(file);
    const payload = file.length - 1 - at;
    return [...all.filter((i) => i < at), ...Array.from({ length: sample }, (_, k) => at + Math.round((k * payload) / (sample - 1)))];
  };
  const drain = async (records: AsyncIterable<unknown>) => {
    for await (const record of records) void record;
  };
  const readError = async (file: Buffer, passphrase?: string): Promise<AppError> => {
    try {
      await drain(readBackupRecords(chunked(file), { passphrase }));
    } catch (error) {
      return error as AppError;
    }
    throw new Error('the damaged file was read without an error');
  };

  describe.each([
    ['gzip', undefined, 20],
    ['none', undefined, 8],
    ['gzip', 'pass', 20],
  ] as [Compression, string | undefined, number][])('one flipped bit in a %s file (passphrase %s)', (compression, passphrase, locations) => {
    it('is detected at every position tried, with the code of the part it hit', async () => {
      const file = await backupFile(compression, passphrase, locations);
      expect(file.length).toBeLessThan(8 * 1024);
      const payloadAt = payloadOffset(file);
      const tried = positions(file, passphrase !== undefined);
      const missed: string[] = [];
      for (const i of tried) {
        const damaged = Buffer.from(file);
        damaged[i] ^= 1 << i % 8;
        const expected = i < 19 ? ['BACKUP.NOT_A_BACKUP'] : i < payloadAt ? ['BACKUP.MANIFEST_CORRUPT', 'BACKUP.TRUNCATED'] : ['BACKUP.CHECKSUM_MISMATCH'];
        const report = await verifyBackup(chunked(damaged), { passphrase });
        const thrown = await readError(damaged, passphrase);
        if (report.ok || !expected.includes(report.error?.code ?? '') || !expected.includes(thrown.code)) {
          missed.push(`byte ${i}: verify ${report.ok ? 'ok' : report.error?.code}, read ${thrown.code}`);
        }
      }
      expect(missed).toEqual([]);
      expect(tried.filter((i) => i >= payloadAt).length).toBeGreaterThanOrEqual(passphrase ? 300 : file.length - payloadAt);
    });
  });

  describe.each([
    ['gzip', undefined, 20],
    ['none', undefined, 8],
    ['brotli', 'pass', 20],
  ] as [Compression, string | undefined, number][])('a stored copy of a %s file this process wrote (passphrase %s)', (compression, passphrase, locations) => {
    let file: Buffer;
    let written: BackupManifest;
    beforeAll(async () => {
      const out = join(dir, `written-${compression}-${passphrase ?? 'plain'}.gvb`);
      written = await writeBackupFile(asAsync(smallState(locations)), { ...INFO, includesHistory: true }, out, { compression, passphrase, tmpDir: dir, scryptN: 2 ** 10 });
      file = await readFile(out);
    });

    it('passes when intact: the bytes the writer decoded back, under the manifest it wrote', async () => {
      const report = await verifyWrittenCopy(chunked(file), written);
      expect(report).toMatchObject({ ok: true, error: null, contentChecked: true, restorable: { state: true, history: true } });
      expect(report.checks.at(-1)).toMatchObject({ name: 'payload.asWritten', ok: true });
      expect((await verifyBackup(chunked(file), { passphrase })).ok).toBe(true);
    });

    it('fails for one flipped bit at every position of the file, and for a truncated copy', async () => {
      const missed: number[] = [];
      for (let i = 0; i < file.length; i++) {
        const damaged = Buffer.from(file);
        damaged[i] ^= 1 << i % 8;
        const report = await verifyWrittenCopy(chunked(damaged), written);
        if (report.ok || !report.error || report.restorable.state) missed.push(i);
      }
      expect(missed).toEqual([]);
      expect((await verifyWrittenCopy(chunked(file.subarray(0, file.length - 1)), written)).error?.code).toBe('BACKUP.TRUNCATED');
    });

    it('refuses another sound backup in its place (its manifest is not the one written)', async () => {
      const out = join(dir, `other-${compression}.gvb`);
      await writeBackupFile(asAsync(smallState(locations + 1)), { ...INFO, includesHistory: true }, out, { compression, passphrase, tmpDir: dir, scryptN: 2 ** 10 });
      expect(await verifyWrittenCopy(chunked(await readFile(out)), written)).toMatchObject({ ok: false, error: { code: 'BACKUP.MANIFEST_CORRUPT' } });
    });
  });

  it.each([['gzip', undefined], ['brotli', 'pass']] as [Compression, string | undefined][])('truncation at every length tried of a %s file is BACKUP.TRUNCATED', async (compression, passphrase) => {
    const file = await backupFile(compression, passphrase);
    const missed: string[] = [];
    for (const length of positions(file, passphrase !== undefined, 200, 1)) {
      const cut = file.subarray(0, length);
      const report = await verifyBackup(chunked(cut), { passphrase });
      const thrown = await readError(cut, passphrase);
      if (report.ok || report.error?.code !== 'BACKUP.TRUNCATED' || thrown.code !== 'BACKUP.TRUNCATED') missed.push(`${length}: ${report.error?.code} ${thrown.code}`);
    }
    expect(missed).toEqual([]);
    expect((await verifyBackup(chunked(Buffer.alloc(0)), {})).error?.code).toBe('BACKUP.NOT_A_BACKUP');
  });

  describe('passphrases', () => {
    it('a wrong passphrase is BACKUP.WRONG_PASSPHRASE before anything is decrypted; the stored bytes still verify', async () => {
      const file = await backupFile('gzip', 'right');
      await expect(openBackup(chunked(file), { passphrase: 'wrong' })).rejects.toMatchObject({ code: 'BACKUP.WRONG_PASSPHRASE', status: 422 });
      const report = await verifyBackup(chunked(file), { passphrase: 'wrong' });
      expect(report).toMatchObject({ ok: false, error: { code: 'BACKUP.WRONG_PASSPHRASE' }, contentChecked: false, restorable: { state: false, history: false } });
      expect(report.checks.filter((c) => c.name.startsWith('payload.'))).toEqual([expect.objectContaining({ name: 'payload.size', ok: true }), { name: 'payload.sha256', ok: true }]);
    });

    it('without a passphrase a reader refuses and verify checks integrity only', async () => {
      const file = await backupFile('gzip', 'right');
      await expect(openBackup(chunked(file), {})).rejects.toMatchObject({ code: 'BACKUP.PASSPHRASE_REQUIRED' });
      expect(await verifyBackup(chunked(file), {})).toMatchObject({ ok: true, error: null, contentChecked: false, restorable: { state: false, history: false } });
      const damaged = Buffer.from(file);
      damaged[damaged.length - 40] ^= 0x10;
      expect(await verifyBackup(chunked(damaged), {})).toMatchObject({ ok: false, error: { code: 'BACKUP.CHECKSUM_MISMATCH' }, contentChecked: false });
    });

    it('a payload re-encrypted with another key behind recomputed checksums is BACKUP.AUTH_FAILED', async () => {
      const file = await backupFile('gzip', 'right');
      const at = payloadOffset(file);
      const forged = Buffer.from(file);
      forged[at + 5] ^= 0x01;
      const sha256 = createHash('sha256').update(forged.subarray(at)).digest('hex');
      const resealed = withManifest(forged, (m) => ({ ...m, payload: { ...m.payload, sha256 } }));
      expect(await readError(resealed, 'right')).toMatchObject({ code: 'BACKUP.AUTH_FAILED' });
      expect((await verifyBackup(chunked(resealed), { passphrase: 'right' })).error?.code).toBe('BACKUP.AUTH_FAILED');
    });
  });

  describe('versions', () => {
    it('a future format version is BACKUP.UNSUPPORTED_VERSION, even when the rest of its manifest is unknown', async () => {
      const file = withManifest(await backupFile('gzip'), () => ({ format: 'globe-vault-backup', formatVersion: 2, somethingNew: true }));
      await expect(openBackup(chunked(file))).rejects.toMatchObject({ code: 'BACKUP.UNSUPPORTED_VERSION', status: 422, details: { formatVersion: 2 } });
      expect(await verifyBackup(chunked(file), {})).toMatchObject({ ok: false, manifest: null, error: { code: 'BACKUP.UNSUPPORTED_VERSION' } });
    });

    it.each([
      ['a newer schema version of a known type', { SettingsChanged: 2 }, /SettingsChanged are at schema version 2/],
      ['a type this app does not know', { PolygonDrawn: 1 }, /PolygonDrawn .* knows no such type/],
    ])('%s is BACKUP.UNSUPPORTED_VERSION naming the type', async (_name, versions, message) => {
      const file = withManifest(await backupFile('gzip'), (m) => ({ ...m, eventSchemaVersions: { ...m.eventSchemaVersions, ...versions } }));
      await expect(openBackup(chunked(file))).rejects.toMatchObject({ code: 'BACKUP.UNSUPPORTED_VERSION', message: expect.stringMatching(message) });
    });
  });

  describe('files damaged in content but with every checksum right', () => {
    const lines = () => smallState().map((r) => JSON.stringify(r));

    it('a record off its schema is BACKUP.RECORD_INVALID with its line and path', async () => {
      const bad = lines();
      bad[3] = bad[3].replace(/"latitude":[^,]+/, '"latitude":123.5');
      const file = handMadeBackup(bad);
      expect(await readError(file)).toMatchObject({ code: 'BACKUP.RECORD_INVALID', details: { line: 4, path: 'v.latitude' } });
      const report = await verifyBackup(chunked(file), {});
      expect(report).toMatchObject({ ok: false, error: { code: 'BACKUP.RECORD_INVALID', details: { line: 4 } }, restorable: { state: false, history: true } });
    });

    it('a line that is not JSON is BACKUP.RECORD_INVALID with its line', async () => {
      const bad = lines();
      bad[2] = bad[2].slice(0, -3);
      expect(await readError(handMadeBackup(bad))).toMatchObject({ code: 'BACKUP.RECORD_INVALID', details: { line: 3, path: '' } });
    });

    it('records out of order are BACKUP.RECORD_INVALID', async () => {
      const bad = lines();
      [bad[0], bad[1]] = [bad[1], bad[0]];
      expect(await readError(handMadeBackup(bad))).toMatchObject({ code: 'BACKUP.RECORD_INVALID', details: { line: 2 }, message: expect.stringMatching(/dataset record after the location/) });
    });

    it('only the history failing leaves the state restorable, and a state-only read succeeds', async () => {
      const bad = lines();
      bad[bad.length - 1] = bad[bad.length - 1].replace('"theme":"dark"', '"theme":"neon"').replace('"theme":"light"', '"theme":"neon"');
      const file = handMadeBackup(bad);
      const report = await verifyBackup(chunked(file), {});
      expect(report).toMatchObject({ ok: false, error: { code: 'BACKUP.RECORD_INVALID', details: { line: bad.length, path: 'v.data.patch.theme' } }, restorable: { state: true, history: false } });
      await expect(drain(readBackupRecords(chunked(file), { skipHistory: true }))).resolves.toBeUndefined();
      expect((await readError(file)).code).toBe('BACKUP.RECORD_INVALID');
    });

    it('a history-only read (skipState) yields every event without reading the state, and still finds a flipped byte in it', async () => {
      const file = await backupFile('gzip');
      const all: { t: string }[] = [];
      for await (const record of readBackupRecords(chunked(file))) all.push(record);
      const events: { t: string }[] = [];
      for await (const record of readBackupRecords(chunked(file), { skipState: true })) events.push(record);
      expect(events).toEqual(all.filter((r) => r.t === 'event'));
      const badState = handMadeBackup(lines().map((l, i) => (i === 2 ? l.replace(/"latitude":[^,]+/, '"latitude":91') : l)));
      await expect(drain(readBackupRecords(chunked(badState), { skipState: true }))).resolves.toBeUndefined();
      const damaged = Buffer.from(file);
      damaged[payloadOffset(file) + 40] ^= 0x04;
      expect((await readError(damaged)).code).toBe('BACKUP.CHECKSUM_MISMATCH');
      await expect(drain(readBackupRecords(chunked(damaged), { skipState: true }))).rejects.toMatchObject({ code: 'BACKUP.CHECKSUM_MISMATCH' });
    });

    it.each([
      ['fewer events than the manifest says', { events: 6 }, 'BACKUP.TRUNCATED', { state: true, history: false }],
      ['more locations than the manifest says', { locations: 19 }, 'BACKUP.COUNT_MISMATCH', { state: false, history: true }],
    ])('%s: %s', async (_name, counts, code, restorable) => {
      const file = handMadeBackup(lines(), { counts });
      expect((await readError(file)).code).toBe(code);
      expect(await verifyBackup(chunked(file), {})).toMatchObject({ ok: false, error: { code }, restorable });
    });

    it('a state hash that differs is BACKUP.STATE_HASH_MISMATCH', async () => {
      const file = handMadeBackup(lines(), { manifest: { stateHash: 'a'.repeat(64) } });
      expect((await readError(file)).code).toBe('BACKUP.STATE_HASH_MISMATCH');
      expect(await verifyBackup(chunked(file), {})).toMatchObject({ ok: false, restorable: { state: false, history: true } });
    });

    it('a payload that inflates past the manifest is stopped: BACKUP.COUNT_MISMATCH', async () => {
      const file = withManifest(handMadeBackup(lines()), (m) => ({ ...m, payload: { ...m.payload, rawBytes: 100 } }));
      expect(await readError(file)).toMatchObject({ code: 'BACKUP.COUNT_MISMATCH', message: expect.stringMatching(/more than the manifest's 100 bytes/) });
    });
  });

  describe('files that are not backups', () => {
    it.each([
      ['JSON', Buffer.from('{"locations":[]}')],
      ['a near miss', Buffer.from('GLOBE-VAULT-BACKUP2\n{}\n')],
      ['random bytes', Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256))],
    ])('%s is BACKUP.NOT_A_BACKUP', async (_name, bytes) => {
      await expect(openBackup(chunked(bytes))).rejects.toMatchObject({ code: 'BACKUP.NOT_A_BACKUP' });
      expect(await verifyBackup(chunked(bytes), {})).toMatchObject({ ok: false, manifest: null, checks: [{ name: 'magic', ok: false }] });
    });

    it('a manifest line over 1 MiB is refused after reading at most 1 MiB of it', async () => {
      let served = 0;
      const endless = new Readable({
        read() {
          const chunk = served === 0 ? Buffer.from('GLOBE-VAULT-BACKUP\n{"x":"') : Buffer.alloc(64 * 1024, 0x61);
          served += chunk.length;
          this.push(chunk);
        },
      });
      await expect(openBackup(endless)).rejects.toMatchObject({ code: 'BACKUP.MANIFEST_CORRUPT', message: expect.stringMatching(/longer than 1048576 bytes/) });
      expect(served).toBeLessThan(1024 * 1024 + 3 * 64 * 1024);
    });
  });
});
