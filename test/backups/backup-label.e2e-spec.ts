import { TestApp, startApp } from '../support/app-harness';
import { expectStatus, getJson } from '../recovery/recovery-helpers';
import { backupNow, download, listBackups, manifestOf, seedGlobe, upload } from './backup-helpers';

/**
 * A backup's label (POST /api/backups {label}) is trimmed, kept in the file's manifest and the
 * history row, and travels with the file: the same file uploaded again keeps it and names its
 * original (`originalId`), which is how the history tells a copy from the backup it was made from.
 */
describe('backup labels and copies (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
    await seedGlobe(t.http, 6);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps a trimmed label in the manifest and the history; an uploaded copy keeps it and names its original', async () => {
    const { backupId, job, view } = await backupNow(t.http, { label: '  Before the spring import  ' });
    expect(job.params.label).toBe('Before the spring import');
    expect(view).toMatchObject({ id: backupId, kind: 'manual', label: 'Before the spring import', originalId: null });
    const file = (await download(t.http, backupId)).bytes;
    expect(manifestOf(file)).toMatchObject({ backupId, label: 'Before the spring import' });

    const copy = await upload(t.http, file);
    expectStatus(copy, 201, 'upload');
    expect(copy.body).toMatchObject({ kind: 'uploaded', label: 'Before the spring import', originalId: backupId, stateHash: view.stateHash });
    const listed = await listBackups(t.http);
    expect(listed.map((b) => [b.id, b.kind, b.label, b.originalId])).toEqual(
      expect.arrayContaining([
        [backupId, 'manual', 'Before the spring import', null],
        [copy.body.id, 'uploaded', 'Before the spring import', backupId],
      ]),
    );
  });

  it('a blank label is no label; one over 200 characters or not a string is refused with 400 and starts nothing', async () => {
    const { view } = await backupNow(t.http, { label: '   ', compression: 'none' });
    expect(view.label).toBeNull();
    expect(manifestOf((await download(t.http, view.id)).bytes).label).toBeUndefined();

    const before = (await listBackups(t.http)).length;
    const jobsBefore = (await getJson(t.http, '/api/jobs')).items.length;
    for (const label of ['x'.repeat(201), 42, ['a']]) {
      const res = await t.http.post('/api/backups').send({ label });
      expectStatus(res, 400, `label ${JSON.stringify(label).slice(0, 20)}`);
      expect(res.body.code).toBe('BACKUP.INVALID_INPUT');
    }
    const exactly200 = await backupNow(t.http, { label: `${'é'.repeat(199)}z`, includeHistory: false });
    expect(exactly200.view.label).toHaveLength(200);
    expect((await listBackups(t.http)).length).toBe(before + 1);
    expect((await getJson(t.http, '/api/jobs')).items.length).toBe(jobsBefore + 1);
  });
});
