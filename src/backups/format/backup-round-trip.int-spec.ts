import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { eventSchemaVersions } from '../../domain/events';
import { StateHasher } from '../../domain/state-hash';
import { BACKUP_FORMAT_VERSION, Compression } from './backup-manifest';
import { BackupRecord } from './backup-record';
import { openBackup, readBackupRecords } from './read-backup-records';
import { asAsync, INFO, largeState, smallState } from './testing/generated-state';
import { randomState } from './testing/random-state';
import { payloadOffset } from './testing/hand-made-backup';
import { verifyBackup } from './verify-backup';
import { writeBackupFile } from './write-backup-file';

/** Writing then reading gives back the same records (as JSON) and a manifest that describes them. */
describe('native backup round trip', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-format-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const path = () => join(dir, 'out.gvb');
  const asJson = (records: BackupRecord[]) => JSON.parse(JSON.stringify(records)) as BackupRecord[];
  const read = async (records: AsyncIterable<BackupRecord>) => {
    const out: BackupRecord[] = [];
    for await (const record of records) out.push(record);
    return out;
  };
  /** The state hash computed independently of the writer, from the records as the test made them. */
  const expectedHash = (records: BackupRecord[]) => {
    const hasher = new StateHasher();
    for (const r of records) {
      if (r.t === 'dataset') hasher.dataset(r.v);
      if (r.t === 'location') hasher.location(r.v);
      if (r.t === 'settings') hasher.settings(r.v);
      if (r.t === 'configuration') hasher.configuration(r.v);
    }
    return hasher.digest();
  };

  const codecs: [Compression, string | undefined][] = [
    ['gzip', undefined],
    ['brotli', undefined],
    ['none', undefined],
    ['gzip', 'correct horse battery staple'],
    ['brotli', 'pässwörd'],
    ['none', 'p'],
  ];

  it.each(codecs)('random states survive %s (passphrase %s)', async (compression, passphrase) => {
    await fc.assert(
      fc.asyncProperty(randomState, async ({ records, includesHistory }) => {
        const manifest = await writeBackupFile(asAsync(records), { ...INFO, includesHistory }, path(), { compression, passphrase, tmpDir: dir, scryptN: 2 ** 10 });
        const opened = await openBackup(createReadStream(path()), { passphrase });
        expect(opened.manifest).toEqual(manifest);
        expect(await read(opened.records)).toEqual(asJson(records));
        const kinds = (t: string) => records.filter((r) => r.t === t).length;
        expect(manifest.counts).toEqual({ datasets: kinds('dataset'), locations: kinds('location'), settings: kinds('settings'), configurations: kinds('configuration'), events: kinds('event') });
        expect(manifest.stateHash).toBe(expectedHash(records));
        expect(manifest.payload.rawBytes).toBe(Buffer.byteLength(records.map((r) => JSON.stringify(r) + '\n').join('')));
        const file = await readFile(path());
        expect(manifest.payload.bytes).toBe(file.length - payloadOffset(file));
        expect((manifest.payload.encryption as { N?: number } | null)?.N).toBe(passphrase ? 2 ** 10 : undefined);
        await rm(path());
      }),
      { numRuns: 25 },
    );
  });

  it('writes the documented layout and manifest, and verifies with the real scrypt cost', async () => {
    const records = [...smallState()];
    const manifest = await writeBackupFile(asAsync(records), { ...INFO, includesHistory: true }, path(), { compression: 'gzip', passphrase: 'secret', tmpDir: dir });
    const lines = (await readFile(path())).toString('latin1').split('\n');
    expect(lines[0]).toBe('GLOBE-VAULT-BACKUP');
    expect(JSON.parse(lines[1])).toEqual(manifest);
    expect(lines[2]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifest).toMatchObject({ format: 'globe-vault-backup', formatVersion: BACKUP_FORMAT_VERSION, ...INFO, includesHistory: true, eventSchemaVersions });
    expect(manifest.payload.encryption).toMatchObject({ algorithm: 'aes-256-gcm', kdf: 'scrypt', N: 2 ** 15, r: 8, p: 1 });
    const report = await verifyBackup(createReadStream(path()), { passphrase: 'secret' });
    expect(report).toMatchObject({ ok: true, error: null, restorable: { state: true, history: true }, contentChecked: true });
    expect(report.checks.map((c) => c.name)).toEqual([
      'magic', 'manifest', 'version', 'passphrase', 'payload.size', 'payload.sha256', 'payload.auth', 'payload.decode',
      'records.state', 'records.history', 'counts.state', 'counts.history', 'payload.rawBytes', 'stateHash',
    ]);
  });

  it('reads only the state when asked to skip the history', async () => {
    const records = [...smallState()];
    await writeBackupFile(asAsync(records), { ...INFO, includesHistory: true }, path(), { compression: 'gzip', tmpDir: dir });
    const state = await read(readBackupRecords(createReadStream(path()), { skipHistory: true }));
    expect(state).toEqual(asJson(records.filter((r) => r.t !== 'event')));
  });

  it('reports progress up to the last record', async () => {
    const seen: { records: number; rawBytes: number }[] = [];
    const manifest = await writeBackupFile(asAsync(largeState(2000)), { ...INFO, includesHistory: false }, path(), { compression: 'gzip', tmpDir: dir, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toEqual({ records: 2003, rawBytes: manifest.payload.rawBytes });
  });

  describe('refuses records a reader would refuse, leaving no file behind', () => {
    const leftovers = async () => (await readdir(dir)).sort();
    const some = (t: BackupRecord['t']) => smallState().find((r) => r.t === t)!;

    it.each([
      ['out of order', () => [some('settings'), some('dataset')], /a dataset record after the settings records/],
      ['off schema', () => [{ t: 'location', v: { ...some('location').v, latitude: 91 } }], /at v\.latitude/],
      ['an event without history', () => [some('event')], /no history/],
    ])('%s', async (_name, records, message) => {
      await expect(writeBackupFile(asAsync(records() as BackupRecord[]), { ...INFO, includesHistory: false }, path(), { compression: 'gzip', tmpDir: dir })).rejects.toMatchObject({
        code: 'BACKUP.RECORD_NOT_WRITABLE',
        message: expect.stringMatching(message),
      });
      expect(await leftovers()).toEqual([]);
    });

    it('when aborted mid-way, with the abort reason', async () => {
      const controller = new AbortController();
      const reason = new Error('cancelled by the user');
      async function* abortingAfter(n: number) {
        let i = 0;
        for (const record of largeState(10_000)) {
          if (++i === n) controller.abort(reason);
          yield record;
        }
      }
      await expect(
        writeBackupFile(abortingAfter(5000), { ...INFO, includesHistory: false }, path(), { compression: 'gzip', tmpDir: dir, signal: controller.signal }),
      ).rejects.toBe(reason);
      expect(await leftovers()).toEqual([]);
    });
  });
});
