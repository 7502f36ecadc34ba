import { TestApp, allAudit, allLocations, createDataset, csv, startApp, waitForJob } from '../support/app-harness';

/**
 * A backup made with its history, restored whole on a FRESH instance: the new instance's log is the
 * original one, event for event (positions, ids, times, who and why), so its audit trail and its own
 * point-in-time recovery carry over; the restore itself follows as its markers.
 */
describe('restoring a backup with history on a fresh instance', () => {
  let source: TestApp;
  let fresh: TestApp;
  afterEach(async () => {
    await source?.close();
    await fresh?.close();
  });

  it('adopts the history: identical audit trail, identical state, and time travel into the past works there', async () => {
    source = await startApp();
    const ds = await createDataset(source.http, { name: 'Travelled' });
    const imported = await source.http.post(`/api/datasets/${ds.id}/import`).set('content-type', 'text/csv').set('X-Actor', 'ana').send(csv(2500));
    await waitForJob(source.http, imported.body.jobId);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await source.http.patch('/api/settings').set('X-Actor', 'ben').set('X-Reason', 'night mode').send({ theme: 'dark' }).expect(200);
    await source.http.patch(`/api/datasets/${ds.id}`).send({ name: 'Travelled far' }).expect(200);
    const backup = await source.http.post('/api/backups').send({});
    await waitForJob(source.http, backup.body.jobId);
    const file = (await source.http.get(`/api/backups/${backup.body.backupId}/download`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    })).body as Buffer;
    const sourceAudit = await allAudit(source.http, { order: 'asc' });
    const sourceLocations = await allLocations(source.http);

    fresh = await startApp();
    const uploaded = await fresh.http.post('/api/backups/upload').set('content-type', 'application/octet-stream').send(file).expect(201);
    const preview = await fresh.http.post('/api/restores/preview').send({ target: { backupId: uploaded.body.id } }).expect(200);
    expect(preview.body.counts.locations.added).toBe(2500);
    const restore = await fresh.http.post('/api/restores').send({ previewToken: preview.body.previewToken }).expect(202);
    expect((await waitForJob(fresh.http, restore.body.jobId, 60_000)).state).toBe('completed');

    const freshAudit = await allAudit(fresh.http, { order: 'asc' });
    expect(freshAudit.slice(0, sourceAudit.length)).toEqual(sourceAudit);
    expect(freshAudit.slice(sourceAudit.length).map((e: { type: string }) => e.type)).toEqual(['RestorePointCreated', 'RestoreStarted', 'RestoreCompleted']);
    expect(await allLocations(fresh.http)).toEqual(sourceLocations);
    expect((await fresh.http.get('/api/settings')).body.theme).toBe('dark');
    // the past came along: before the settings change, the theme was the default
    expect((await fresh.http.get('/api/settings').query({ at: before })).body.theme).toBe('system');
    expect((await fresh.http.get('/api/datasets').query({ at: before })).body.items[0].name).toBe('Travelled');
  });
});
