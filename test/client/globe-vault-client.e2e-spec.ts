import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGlobeVaultClient, GlobeVaultClient, GlobeVaultError, JobView } from '../../clients/globe-vault-client';
import { fetchOpenApiDocument, OPENAPI_TYPES_FILE, openApiTypesOf } from '../../clients/globe-vault-client/generate';
import { ChildServer, killAllChildServers } from '../support/child-server';

/**
 * The typed client as the Globe app uses it, against the real server in its own process: the
 * calls that replace its IndexedDB location service, an import followed over Socket.IO, a backup
 * and a restore. One server for the file.
 */
describe('the Globe Vault client', () => {
  let dir: string;
  let server: ChildServer;
  let vault: GlobeVaultClient;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-client-'));
    server = await ChildServer.start({ dataDir: dir, readyTimeoutMs: 120_000 }); // generous: a loaded machine starts slowly
    vault = createGlobeVaultClient({ url: server.url, actor: 'globe-app-user' });
  });
  afterAll(async () => {
    vault?.close();
    await killAllChildServers();
    await rm(dir, { recursive: true, force: true });
  });

  const rejection = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error);

  it('keeps the committed openapi.d.ts equal to what the server documents now (run `npm run client:generate` after a route change)', async () => {
    const fresh = await openApiTypesOf(await fetchOpenApiDocument(server.url));
    expect(fresh).toBe(await readFile(OPENAPI_TYPES_FILE, 'utf8'));
  });

  it('creates, renames and deletes a dataset', async () => {
    const created = await vault.datasets.create({ name: 'Trips', color: '#ff8800' });
    expect(created).toMatchObject({ name: 'Trips', color: '#ff8800', locationCount: 0 });
    expect((await vault.datasets.update(created.id, { name: 'Travels' })).name).toBe('Travels');
    expect((await vault.datasets.list()).map((d) => d.name)).toContain('Travels');
    await vault.datasets.delete(created.id);
    const error = await rejection(vault.datasets.get(created.id));
    expect(error).toBeInstanceOf(GlobeVaultError);
    expect(error).toMatchObject({ status: 404, code: 'DATASET.NOT_FOUND' });
  });

  it('imports a CSV into a new dataset, follows it over Socket.IO, pages, edits and deletes its locations, then backs up and restores', async () => {
    const rows = 2_000;
    const csv = ['name,lat,lng,population', ...Array.from({ length: rows }, (_, i) => `City ${i},${(i % 170) - 85},${(i % 350) - 175},${i}`)].join('\n');
    const started = await vault.importFile({ body: csv, fileName: 'cities.csv' }, { newDataset: { name: 'Cities' } });
    const seen: JobView[] = [];
    const heard: JobView[] = [];
    const stop = vault.onJobProgress(started.jobId, (job) => heard.push(job));
    const job = await vault.waitForJob(started.jobId, (view) => seen.push(view));
    stop();
    expect(job).toMatchObject({ id: started.jobId, kind: 'import', state: 'completed', result: { locationsWritten: rows } });
    // The first view is the job's state when subscribed, the last its end; nothing comes after it.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.every((view) => view.id === started.jobId)).toBe(true);
    expect(seen[seen.length - 1]).toEqual(job);
    expect(heard[heard.length - 1]).toEqual(job);
    expect(await vault.jobs.get(started.jobId)).toEqual(job);
    const dataset = await vault.datasets.get(started.datasetId);
    expect(dataset).toMatchObject({ name: 'Cities', locationCount: rows, source: { fileName: 'cities.csv', format: 'csv' } });

    // Paging: 500 a page, every location exactly once, in name order.
    const first = await vault.locations.page({ datasetId: dataset.id, limit: 500, sort: 'name' });
    expect(first.items).toHaveLength(500);
    expect(first.next).not.toBeNull();
    const second = await vault.locations.page({ datasetId: dataset.id, limit: 500, sort: 'name', cursor: first.next! });
    expect(second.items[0].name > first.items[499].name).toBe(true);
    const ids = new Set<string>();
    for await (const location of vault.locations.all({ datasetId: dataset.id, limit: 500 })) ids.add(location.id);
    expect(ids.size).toBe(rows);
    // The globe's compact read holds the same locations, decoded from its binary form.
    const points = await vault.globe.points();
    expect(points.datasets).toEqual([{ id: dataset.id, count: rows }]);
    expect(new Set(points.ids)).toEqual(ids);

    // Edit one, delete another, add one by hand.
    const [edited, removed] = first.items;
    const renamed = await vault.locations.update(edited.id, { name: 'Renamed city', quantity: null });
    expect(renamed).toMatchObject({ id: edited.id, name: 'Renamed city' });
    expect((await vault.locations.get(edited.id)).name).toBe('Renamed city');
    await vault.locations.delete(removed.id);
    expect(await rejection(vault.locations.get(removed.id))).toMatchObject({ status: 404, code: 'LOCATION.NOT_FOUND' });
    const added = await vault.locations.add(dataset.id, { name: 'Null Island', latitude: 0, longitude: 0, properties: { note: 'by hand' } });
    expect(added).toMatchObject({ datasetId: dataset.id, name: 'Null Island', properties: { note: 'by hand' } });

    // Settings and a saved configuration.
    const settings = await vault.settings.patch({ theme: 'dark', autoRotate: false });
    expect(settings).toMatchObject({ theme: 'dark', autoRotate: false });
    expect(await vault.settings.get()).toEqual(settings);
    const view = await vault.configurations.put('camera-home', { kind: 'camera-view', name: 'Home', value: { lat: 10, lng: 20, zoom: 2 } });
    expect(view).toMatchObject({ id: 'camera-home', kind: 'camera-view', value: { lat: 10, lng: 20, zoom: 2 } });
    expect((await vault.configurations.list('camera-view')).map((c) => c.id)).toEqual(['camera-home']);

    // A backup, then a change after it, then what restoring the backup would undo, then the restore.
    const backup = await vault.backups.create({ includeHistory: false, compression: 'gzip' });
    await vault.waitForJob(backup.jobId);
    expect((await vault.backups.list()).map((b) => b.id)).toContain(backup.backupId);
    await vault.locations.delete(added.id);
    await vault.configurations.delete('camera-home');
    const preview = await vault.restores.preview({ target: { backupId: backup.backupId }, scope: {} });
    expect(preview.counts.locations).toMatchObject({ added: 1, changed: 0, removed: 0 });
    expect(preview.counts.configurations).toMatchObject({ added: 1 });
    const restore = await vault.restores.run({ previewToken: preview.previewToken, strategy: 'target-wins' });
    await vault.waitForJob(restore.jobId);
    expect((await vault.locations.get(added.id)).name).toBe('Null Island');
    expect((await vault.configurations.get('camera-home')).name).toBe('Home');

    // The audit trail names the Globe app's user.
    const audit = await vault.audit.list({ limit: 5 });
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.some((event) => event.metadata.actor === 'globe-app-user')).toBe(true);
  });

  it("rejects a failed import's wait with the job's own code, and bad input with the server's", async () => {
    const dataset = await vault.datasets.create({ name: 'Strict' });
    const started = await vault.importFile({ body: 'name,lat,lng\nNowhere,not-a-number,1\n', fileName: 'bad.csv' }, { datasetId: dataset.id }, { skipInvalidRows: false });
    expect(await rejection(vault.waitForJob(started.jobId))).toMatchObject({ code: 'IMPORT.INVALID_ROWS', details: { jobId: started.jobId } });
    expect((await vault.datasets.get(dataset.id)).locationCount).toBe(0);
    expect(await rejection(vault.datasets.create({ name: '' }))).toMatchObject({ status: 400 });
    expect(await rejection(vault.waitForJob('00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 'JOB.NOT_FOUND' });
  });

  it('sends its token on HTTP and on the progress socket, and reports a refusal with the stable code', async () => {
    const created = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'globe-viewer', role: 'viewer' }) });
    const { token } = (await created.json()) as { token: string };
    const viewer = createGlobeVaultClient({ url: server.url, token });
    try {
      expect(Array.isArray(await viewer.datasets.list())).toBe(true);
      expect(await rejection(viewer.settings.patch({ theme: 'light' }))).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
      const dataset = await vault.datasets.create({ name: 'Watched by a viewer' });
      const started = await vault.importFile({ body: 'name,lat,lng\nA,1,2\n', fileName: 'one.csv' }, { datasetId: dataset.id });
      expect(await viewer.waitForJob(started.jobId)).toMatchObject({ id: started.jobId, state: 'completed' });
    } finally {
      viewer.close();
    }
    const stranger = createGlobeVaultClient({ url: server.url, token: 'gv_not-a-real-token' });
    expect(await rejection(stranger.datasets.list())).toMatchObject({ status: 401 });
  });
});
