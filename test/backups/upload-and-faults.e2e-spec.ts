import { TestApp, startApp } from '../support/app-harness';
import { expectStatus, getJson } from '../recovery/recovery-helpers';
import { backupNow, backupsDir, download, filesIn, listBackups, manifestOf, payloadOffset, seedGlobe, tmpDirOf, upload } from './backup-helpers';

/**
 * An uploaded file is verified in full before it is accepted: a sound one becomes a backup of kind
 * `uploaded` with the same state hash; any damage (one flipped byte anywhere, a cut) is refused with
 * 422 and the BACKUP.* code of the check that failed, and leaves nothing listed or on disk.
 */
describe('backup upload and damaged files (e2e)', () => {
  let t: TestApp;
  let original: any;
  let file: Buffer;

  beforeAll(async () => {
    t = await startApp();
    await seedGlobe(t.http, 12);
    original = (await backupNow(t.http, {})).view;
    file = (await download(t.http, original.id)).bytes;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Only the original backup is listed and stored, and nothing is left in tmp. */
  async function nothingLeft(): Promise<void> {
    expect((await listBackups(t.http)).map((b) => b.id)).toEqual([original.id]);
    expect(filesIn(backupsDir(t.dataDir))).toEqual([original.key]);
    expect(filesIn(tmpDirOf(t.dataDir))).toEqual([]);
  }

  it('the downloaded file uploaded again is accepted as kind uploaded with the same state', async () => {
    const res = await upload(t.http, file);
    expectStatus(res, 201, 'upload');
    expect(res.body.id).not.toBe(original.id);
    expect(res.body).toEqual({
      ...original,
      id: res.body.id,
      key: `globe-vault-${original.createdAt.replace(/[-:.]/g, '').slice(0, 15)}-${res.body.id}.gvbk`,
      kind: 'uploaded',
      originalId: original.id,
      lastVerifiedAt: res.body.lastVerifiedAt,
      copies: [{ ...original.copies[0], verifiedAt: res.body.lastVerifiedAt }],
    });
    expect(await getJson(t.http, `/api/backups/${res.body.id}`)).toEqual(res.body);
    expect((await download(t.http, res.body.id)).bytes.equals(file)).toBe(true);
    expect((await listBackups(t.http)).map((b) => b.id)).toEqual([original.id, res.body.id].sort().reverse());
    expect((await t.http.delete(`/api/backups/${res.body.id}`)).status).toBe(204);
    await nothingLeft();
  });

  it('one flipped byte at ~200 positions spread over header, manifest and payload: every one refused with its BACKUP.* code, none accepted', async () => {
    const at = payloadOffset(file);
    const manifestStart = 19;
    const manifestEnd = file.indexOf(0x0a, manifestStart);
    // every boundary, then an even spread over the whole file
    const positions = new Set([0, 5, 18, 19, 20, manifestEnd - 1, manifestEnd, manifestEnd + 1, manifestEnd + 8, at - 2, at - 1, at, at + 1, at + 10, file.length - 9, file.length - 1]);
    for (let k = 0; positions.size < 200; k++) positions.add(Math.round((k * (file.length - 1)) / 187) % file.length);
    expect(positions.size).toBe(200);
    expect([...positions].filter((i) => i >= at).length).toBeGreaterThan(50);
    expect([...positions].filter((i) => i > manifestStart && i < manifestEnd).length).toBeGreaterThan(40);

    const outcomes: string[] = [];
    const unexpected: string[] = [];
    for (const i of [...positions].sort((x, y) => x - y)) {
      const damaged = Buffer.from(file);
      damaged[i] ^= 0xff;
      const res = await upload(t.http, damaged);
      const outcome = `${res.status} ${res.body.code}`;
      outcomes.push(outcome);
      // the first line is how a backup is recognised: a file whose magic is damaged is not recognised as one (415)
      const expected =
        i < manifestStart
          ? ['415 BACKUP.UNSUPPORTED_FORMAT']
          : i < at
            ? ['422 BACKUP.MANIFEST_CORRUPT', '422 BACKUP.TRUNCATED']
            : ['422 BACKUP.CHECKSUM_MISMATCH'];
      if (!expected.includes(outcome)) unexpected.push(`byte ${i}: ${outcome}`);
      if (res.status === 422) {
        expect(res.body.details.error.code).toBe(res.body.code);
        expect(res.body.details.restorable).toEqual({ state: false, history: false });
        // the first failed check names the part that was hit (later ones may fail as its consequence)
        expect([i, res.body.details.checks.find((c: any) => !c.ok)?.name]).toEqual([i, i < at ? 'manifest' : 'payload.sha256']);
      }
    }
    expect(unexpected).toEqual([]);
    expect(outcomes.filter((o) => o.startsWith('201'))).toEqual([]);
    await nothingLeft();
  }, 60_000);

  it('a file cut anywhere is refused (422 BACKUP.TRUNCATED or MANIFEST_CORRUPT; a cut inside the magic line is not recognised, 415)', async () => {
    const at = payloadOffset(file);
    const manifestEnd = file.indexOf(0x0a, 19);
    const cuts: [number, string][] = [
      [1, '415 BACKUP.UNSUPPORTED_FORMAT'],
      [18, '415 BACKUP.UNSUPPORTED_FORMAT'],
      [19, '422 BACKUP.TRUNCATED'],
      [100, '422 BACKUP.TRUNCATED'],
      [manifestEnd, '422 BACKUP.TRUNCATED'],
      [manifestEnd + 1, '422 BACKUP.TRUNCATED'],
      [at - 1, '422 BACKUP.TRUNCATED'],
      [at, '422 BACKUP.TRUNCATED'],
      [at + 1, '422 BACKUP.TRUNCATED'],
      [at + Math.floor((file.length - at) / 2), '422 BACKUP.TRUNCATED'],
      [file.length - 1, '422 BACKUP.TRUNCATED'],
    ];
    const seen: [number, string][] = [];
    for (const [length] of cuts) {
      const res = await upload(t.http, file.subarray(0, length));
      seen.push([length, `${res.status} ${res.body.code}`]);
    }
    expect(seen).toEqual(cuts);
    // and a file with bytes appended after its payload
    const longer = await upload(t.http, Buffer.concat([file, Buffer.from('x')]));
    expect({ status: longer.status, code: longer.body.code }).toEqual({ status: 422, code: 'BACKUP.CHECKSUM_MISMATCH' });
    await nothingLeft();
  });

  it('an empty body is 400; a PNG, random bytes, a CSV are 415; nothing is listed or left behind', async () => {
    const empty = await upload(t.http, Buffer.alloc(0));
    expect({ status: empty.status, code: empty.body.code }).toEqual({ status: 400, code: 'IMPORT.EMPTY_FILE' });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
    let seed = 42;
    const random = Buffer.alloc(4096, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
    for (const [what, body] of [
      ['png', png],
      ['random', Buffer.from(random)],
      ['csv', Buffer.from('name,lat,lng\nA,1,2\n')],
      ['magic without its line end', Buffer.from('GLOBE-VAULT-BACKUPX{}\n')],
    ] as const) {
      const res = await upload(t.http, body);
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 415, code: 'BACKUP.UNSUPPORTED_FORMAT' });
    }
    await nothingLeft();
  });

  it('an encrypted backup: accepted on integrity without a passphrase (content not checked), refused with a wrong one, damage found without one', async () => {
    const passphrase = 'upload secret 42';
    const enc = (await backupNow(t.http, { passphrase })).view;
    const bytes = (await download(t.http, enc.id)).bytes;
    expect((await t.http.delete(`/api/backups/${enc.id}`)).status).toBe(204);

    const wrong = await upload(t.http, bytes, 'not the passphrase');
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 422, code: 'BACKUP.WRONG_PASSPHRASE' });
    expect(wrong.body.details.checks.map((c: any) => [c.name, c.ok])).toEqual([
      ['magic', true],
      ['manifest', true],
      ['version', true],
      ['passphrase', false],
      ['payload.size', true],
      ['payload.sha256', true],
    ]);
    const damaged = Buffer.from(bytes);
    damaged[bytes.length - 20] ^= 0x01;
    const broken = await upload(t.http, damaged);
    expect({ status: broken.status, code: broken.body.code }).toEqual({ status: 422, code: 'BACKUP.CHECKSUM_MISMATCH' });
    await nothingLeft();

    const res = await upload(t.http, bytes);
    expectStatus(res, 201, 'upload encrypted without passphrase');
    expect(res.body).toMatchObject({ kind: 'uploaded', encrypted: true, stateHash: enc.stateHash, counts: enc.counts, lastVerifyResult: 'integrity-only' });
    // without the passphrase only the stored bytes were checked: contentChecked false, nothing shown restorable
    const blind = await t.http.post(`/api/backups/${res.body.id}/verify`).send({});
    expectStatus(blind, 200, 'verify without passphrase');
    expect({ ok: blind.body.ok, contentChecked: blind.body.contentChecked, restorable: blind.body.restorable, checks: blind.body.checks.map((c: any) => c.name) }).toEqual({
      ok: true,
      contentChecked: false,
      restorable: { state: false, history: false },
      checks: ['magic', 'manifest', 'version', 'payload.size', 'payload.sha256'],
    });
    const full = await t.http.post(`/api/backups/${res.body.id}/verify`).send({ passphrase });
    expect({ ok: full.body.ok, contentChecked: full.body.contentChecked, restorable: full.body.restorable }).toEqual({ ok: true, contentChecked: true, restorable: { state: true, history: true } });
    expect(full.body.checks.map((c: any) => c.name)).toEqual([
      'magic', 'manifest', 'version', 'passphrase', 'payload.size', 'payload.sha256', 'payload.auth', 'payload.decode',
      'records.state', 'records.history', 'counts.state', 'counts.history', 'payload.rawBytes', 'stateHash',
    ]);
    // with the passphrase the upload checks the content too
    const withPass = await upload(t.http, bytes, passphrase);
    expectStatus(withPass, 201, 'upload encrypted with passphrase');
    for (const id of [res.body.id, withPass.body.id]) expect((await t.http.delete(`/api/backups/${id}`)).status).toBe(204);
    await nothingLeft();
  });

  it('a wrong passphrase typed at verify is reported, and does not mark an intact backup as failed', async () => {
    const passphrase = 'the right one';
    const enc = (await backupNow(t.http, { passphrase })).view;
    const res = await t.http.post(`/api/backups/${enc.id}/verify`).send({ passphrase: 'a typo' });
    expectStatus(res, 200, 'verify with a wrong passphrase');
    expect({ ok: res.body.ok, code: res.body.error?.code }).toEqual({ ok: false, code: 'BACKUP.WRONG_PASSPHRASE' });
    try {
      // the file is intact: a typo is not a verdict on it (health would otherwise stop calling it verified)
      expect((await getJson(t.http, `/api/backups/${enc.id}`)).lastVerifyResult).toBe('ok');
    } finally {
      expect((await t.http.delete(`/api/backups/${enc.id}`)).status).toBe(204);
    }
  });

  it('an encrypted upload whose content was never checked is not what health calls "verified restorable"', async () => {
    const passphrase = 'health check passphrase';
    const enc = (await backupNow(t.http, { passphrase })).view;
    const bytes = (await download(t.http, enc.id)).bytes;
    expect((await t.http.delete(`/api/backups/${enc.id}`)).status).toBe(204);
    const res = await upload(t.http, bytes);
    expectStatus(res, 201, 'upload encrypted without passphrase');
    try {
      expect(manifestOf(bytes).payload.encryption).not.toBeNull();
      const health = await getJson(t.http, '/api/backups/health');
      expect(health.lastVerifiedBackupId).toBe(original.id);
    } finally {
      expect((await t.http.delete(`/api/backups/${res.body.id}`)).status).toBe(204);
    }
  });
});
