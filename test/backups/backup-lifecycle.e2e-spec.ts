import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp, allAudit, sleep, startApp } from '../support/app-harness';
import { everything, expectStatus, getJson, headPosition, importCsv, preview, restore } from '../recovery/recovery-helpers';
import {
  BACKUP_VIEW_KEYS,
  ISO,
  backupNow,
  backupsDir,
  csvWithExtras,
  download,
  filesIn,
  keyOf,
  listBackups,
  manifestOf,
  payloadOffset,
  seedGlobe,
  sha256,
  upload,
} from './backup-helpers';

/**
 * "Back up now" end to end: the job, the history row (every field), the file (downloaded byte for
 * byte, verified, deleted), every compression, and a backup taken while writes go on, which must
 * hold the state at exactly its head position and nothing of the writes after it.
 */
describe('backup lifecycle (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
    await seedGlobe(t.http);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('one click backs up everything, lists it with exact facts, downloads the exact bytes, verifies, and deletes file and row', async () => {
    const http = t.http;
    const log = await allAudit(http);
    const head = await headPosition(http);
    expect(log).toHaveLength(head);
    const datasets = (await getJson(http, '/api/datasets')).items;
    const locationTotal = datasets.reduce((n: number, d: any) => n + d.locationCount, 0);
    expect(locationTotal).toBe(44);
    const before = Date.now();

    const { backupId, job, view } = await backupNow(http, {}, 'alice');
    expect(job.kind).toBe('backup');
    expect(job.actor).toBe('alice');
    expect(job.params).toEqual({ backupId, kind: 'manual', compression: 'gzip', encrypted: false, includeHistory: true });
    expect(job.result).toEqual(view);

    // the history row: every field
    expect(Object.keys(view).sort()).toEqual(BACKUP_VIEW_KEYS);
    expect(view).toMatchObject({
      id: backupId,
      kind: 'manual',
      counts: { datasets: 2, locations: 44, configurations: 2, settings: 1, events: log.length },
      format: 'native',
      compression: 'gzip',
      encrypted: false,
      storage: `file:${join(realpathSync(t.dataDir), 'backups')}`,
      headPosition: head,
      includesHistory: true,
      lastVerifyResult: 'ok',
      lastDrillAt: null,
      lastDrillResult: null,
      actor: 'alice',
      label: null,
      originalId: null,
    });
    expect(view.copies).toEqual([
      { storage: view.storage, state: 'verified', size: view.size, verifiedAt: expect.stringMatching(ISO), attempts: 0, nextAttemptAt: null, lastError: null },
    ]);
    expect(view.createdAt).toMatch(ISO);
    expect(Date.parse(view.createdAt)).toBeGreaterThanOrEqual(before - 5);
    expect(view.lastVerifiedAt).toMatch(ISO);
    expect(view.lastVerifiedAt >= view.createdAt).toBe(true);
    expect(view.key).toBe(keyOf(view));
    expect(view.stateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await listBackups(http)).toEqual([view]);

    // the file: size, bytes, name
    const stored = readFileSync(join(backupsDir(t.dataDir), view.key));
    const { bytes, headers } = await download(http, backupId);
    expect(bytes.length).toBe(view.size);
    expect(stored.length).toBe(view.size);
    expect(sha256(bytes)).toBe(sha256(stored));
    expect(headers['content-type']).toBe('application/octet-stream');
    expect(headers['content-length']).toBe(String(view.size));
    expect(headers['content-disposition']).toBe(`attachment; filename="${view.key}"`);
    expect(bytes.subarray(0, 19).toString('ascii')).toBe('GLOBE-VAULT-BACKUP\n');
    const manifest = manifestOf(bytes);
    expect(manifest).toMatchObject({
      format: 'globe-vault-backup',
      formatVersion: 1,
      createdAt: view.createdAt,
      headPosition: head,
      headRecordedAt: log[log.length - 1].recordedAt,
      includesHistory: true,
      counts: view.counts,
      stateHash: view.stateHash,
      payload: { compression: 'gzip', encryption: null, bytes: view.size - payloadOffset(bytes) },
    });
    expect(manifest.payload.sha256).toBe(sha256(bytes.subarray(payloadOffset(bytes))));

    // verify: every check passes, the row records when
    const verified = await http.post(`/api/backups/${backupId}/verify`).send({});
    expectStatus(verified, 200, 'POST verify');
    expect(verified.body).toMatchObject({ ok: true, error: null, backupId, contentChecked: true, restorable: { state: true, history: true } });
    expect(verified.body.manifest).toEqual(manifest);
    expect(verified.body.checks.map((c: any) => [c.name, c.ok])).toEqual(
      ['magic', 'manifest', 'version', 'payload.size', 'payload.sha256', 'payload.decode', 'records.state', 'records.history', 'counts.state', 'counts.history', 'payload.rawBytes', 'stateHash'].map((n) => [n, true]),
    );
    expect(verified.body.verifiedAt).toMatch(ISO);
    expect(await getJson(http, `/api/backups/${backupId}`)).toEqual({ ...view, lastVerifiedAt: verified.body.verifiedAt, lastVerifyResult: 'ok' });

    // delete: 204, then gone everywhere
    expect(filesIn(backupsDir(t.dataDir))).toEqual([view.key]);
    expect((await http.delete(`/api/backups/${backupId}`)).status).toBe(204);
    for (const res of [await http.get(`/api/backups/${backupId}`), await http.get(`/api/backups/${backupId}/download`), await http.post(`/api/backups/${backupId}/verify`).send({}), await http.delete(`/api/backups/${backupId}`)]) {
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'BACKUP.NOT_FOUND' });
    }
    expect(filesIn(backupsDir(t.dataDir))).toEqual([]);
    expect(await listBackups(http)).toEqual([]);
    // a backup writes nothing to the log
    expect(await headPosition(http)).toBe(head);
  });

  it('each compression (gzip, brotli, none), without history, and encrypted: same state hash, exact fields, each verifies', async () => {
    const http = t.http;
    const head = await headPosition(http);
    const made: Record<string, { view: any; bytes: Buffer }> = {};
    for (const [label, body] of [
      ['gzip', { compression: 'gzip' }],
      ['brotli', { compression: 'brotli' }],
      ['none', { compression: 'none' }],
      ['no-history', { includeHistory: false }],
      ['encrypted', { passphrase: 'correct horse battery' }],
    ] as const) {
      const { view } = await backupNow(http, body);
      made[label] = { view, bytes: (await download(http, view.id)).bytes };
    }
    const hash = made.gzip.view.stateHash;
    const expected = {
      gzip: { compression: 'gzip', encrypted: false, includesHistory: true, events: head },
      brotli: { compression: 'brotli', encrypted: false, includesHistory: true, events: head },
      none: { compression: 'none', encrypted: false, includesHistory: true, events: head },
      'no-history': { compression: 'gzip', encrypted: false, includesHistory: false, events: 0 },
      encrypted: { compression: 'gzip', encrypted: true, includesHistory: true, events: head },
    };
    for (const [label, { view, bytes }] of Object.entries(made)) {
      const e = expected[label as keyof typeof expected];
      expect({ label, compression: view.compression, encrypted: view.encrypted, includesHistory: view.includesHistory, events: view.counts.events }).toEqual({
        label,
        compression: e.compression,
        encrypted: e.encrypted,
        includesHistory: e.includesHistory,
        events: e.events,
      });
      expect({ label, hash: view.stateHash, head: view.headPosition, size: bytes.length }).toEqual({ label, hash, head, size: view.size });
      expect(view.counts).toEqual({ datasets: 2, locations: 44, configurations: 2, settings: 1, events: e.events });
      const m = manifestOf(bytes);
      expect(m.payload.compression).toBe(e.compression);
      expect(m.payload.encryption === null).toBe(!e.encrypted);
    }
    // an uncompressed, unencrypted payload is the NDJSON itself
    const raw = made.none.bytes.subarray(payloadOffset(made.none.bytes));
    expect(raw.length).toBe(manifestOf(made.none.bytes).payload.rawBytes);
    expect(raw.toString('utf8').split('\n')[0]).toMatch(/^\{"t":"dataset","v":\{/);
    expect(raw.toString('utf8')).toContain('"notes":"note, 1"');
    // compression does something, and nothing of an encrypted file's content is readable
    expect(made.gzip.bytes.length).toBeLessThan(made.none.bytes.length);
    expect(made.brotli.bytes.length).toBeLessThan(made.none.bytes.length);
    expect(made.encrypted.bytes.includes(Buffer.from('Cities A'))).toBe(false);
    expect(manifestOf(made.encrypted.bytes).payload.encryption).toMatchObject({ algorithm: 'aes-256-gcm', kdf: 'scrypt', N: 2 ** 15, r: 8, p: 1 });

    for (const [label, { view }] of Object.entries(made)) {
      const passphrase = label === 'encrypted' ? 'correct horse battery' : undefined;
      const res = await http.post(`/api/backups/${view.id}/verify`).send(passphrase ? { passphrase } : {});
      expectStatus(res, 200, `verify ${label}`);
      expect({ label, ok: res.body.ok, contentChecked: res.body.contentChecked, restorable: res.body.restorable }).toEqual({
        label,
        ok: true,
        contentChecked: true,
        restorable: { state: true, history: label !== 'no-history' },
      });
    }
    // the passphrase may come as a header too
    const byHeader = await http.post(`/api/backups/${made.encrypted.view.id}/verify`).set('X-Backup-Passphrase', 'correct horse battery').send({});
    expect({ status: byHeader.status, ok: byHeader.body.ok, contentChecked: byHeader.body.contentChecked }).toEqual({ status: 200, ok: true, contentChecked: true });

    // newest first
    expect((await listBackups(http)).map((b) => b.id)).toEqual(Object.values(made).map((m) => m.view.id).reverse());
    const bad = await http.post('/api/backups').send({ compression: 'zip' });
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'BACKUP.INVALID_INPUT' });
    const short = await http.post('/api/backups').send({ passphrase: 'short' });
    expect({ status: short.status, code: short.body.code }).toEqual({ status: 400, code: 'BACKUP.INVALID_INPUT' });
    for (const { view } of Object.values(made)) expect((await http.delete(`/api/backups/${view.id}`)).status).toBe(204);
    expect(filesIn(backupsDir(t.dataDir))).toEqual([]);
  });

  it('a backup taken while writes go on holds the state at exactly its head position: never a mix', async () => {
    const http = t.http;
    const big = (await http.post('/api/datasets').send({ name: 'Big' })).body;
    await importCsv(http, big.id, csvWithExtras(6_000, 'Big'), { fileName: 'big.csv' });
    const targets = (await getJson(http, '/api/locations', { datasetId: big.id, limit: 200 })).items;
    const bId = (await getJson(http, '/api/datasets')).items.find((d: any) => d.name === 'Towns B').id;

    // one writer, one write at a time, a few ms apart (so that each event has its own millisecond)
    const headBeforeWrites = await headPosition(http);
    let stop = false;
    let writes = 0;
    let writerEnded = false;
    /** Waits until the writer has done `n` writes (or stopped, e.g. on a failed write, which `await writer` then throws). */
    const writesReach = async (n: number) => {
      while (writes < n && !writerEnded) await sleep(5);
    };
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const res =
          i % 2 === 0
            ? await http.patch(`/api/locations/${targets[i % targets.length].id}`).send({ name: `Rewritten ${i}`, properties: { round: i } })
            : await http.post(`/api/datasets/${bId}/locations`).send({ id: `during-${i}`, name: `Added ${i}`, latitude: i % 80, longitude: -(i % 170) });
        expect([i, res.status]).toEqual([i, i % 2 === 0 ? 200 : 201]);
        writes += 1;
        await sleep(3);
      }
    })().finally(() => (writerEnded = true));
    let backup: Awaited<ReturnType<typeof backupNow>>;
    let headAtRequest: number;
    try {
      await writesReach(4);
      headAtRequest = await headPosition(http);
      backup = await backupNow(http, {});
      await writesReach(writes + 4);
    } finally {
      stop = true;
      await writer;
    }
    const { view } = backup;
    const finalHead = await headPosition(http);
    // the writes went on before, during and after the backup's moment
    expect(view.headPosition).toBeGreaterThanOrEqual(headAtRequest);
    expect(headAtRequest).toBeGreaterThanOrEqual(headBeforeWrites + 4);
    expect(finalHead).toBeGreaterThan(view.headPosition + 3);

    // the counts are those of the state at headPosition
    const atHead = await getJson(http, '/api/state', { position: view.headPosition });
    expect(atHead.position).toBe(view.headPosition);
    expect(atHead.counts).toEqual({ datasets: view.counts.datasets, locations: view.counts.locations, configurations: view.counts.configurations });
    const log = await allAudit(http);
    expect(view.counts.events).toBe(view.headPosition);
    expect(log.filter((e) => e.position <= view.headPosition)).toHaveLength(view.headPosition);

    // time travel to the head's moment names exactly that position (each event has its own millisecond)
    const { bytes } = await download(http, view.id);
    const manifest = manifestOf(bytes);
    expect(manifest.headRecordedAt).toBe(log.find((e) => e.position === view.headPosition).recordedAt);
    expect((await getJson(http, '/api/state', { at: manifest.headRecordedAt })).position).toBe(view.headPosition);
    const expected = await everything(http, manifest.headRecordedAt);
    expect(expected.locations).toHaveLength(view.counts.locations);
    // a write of each kind is on each side of the backup's moment, so a mix could not go unnoticed
    const added = expected.locations.filter((l: any) => l.id.startsWith('during-')).length;
    const allAdded = (await getJson(http, '/api/locations', { datasetId: bId, limit: 10_000 })).items.filter((l: any) => l.id.startsWith('during-')).length;
    expect(added).toBeGreaterThan(0);
    expect(allAdded).toBeGreaterThan(added);

    // restored into a fresh service, the backup is exactly that state
    const fresh = await startApp();
    try {
      const up = await upload(fresh.http, bytes);
      expectStatus(up, 201, 'upload into a fresh app');
      expect(up.body).toMatchObject({ kind: 'uploaded', stateHash: view.stateHash, headPosition: view.headPosition, counts: view.counts });
      const pv = await preview(fresh.http, { target: { backupId: up.body.id } });
      expect(pv.counts.locations).toEqual({ added: view.counts.locations, changed: 0, removed: 0 });
      await restore(fresh.http, { previewToken: pv.previewToken });
      expect(await everything(fresh.http)).toEqual(expected);
      // and backing the fresh service up gives the very same state hash
      const again = await backupNow(fresh.http, { includeHistory: false });
      expect(again.view.stateHash).toBe(view.stateHash);
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
