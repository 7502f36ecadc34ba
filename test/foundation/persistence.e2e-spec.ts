import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Http, TestApp, allAudit, allLocations, createDataset, csv, restartApp, sleep, startApp, waitForJob } from '../support/app-harness';

/** Everything the read models answer: compared whole before and after a restart or a rebuild. */
async function readModelAnswers(http: Http) {
  const datasets = await http.get('/api/datasets');
  const settings = await http.get('/api/settings');
  const configurations = await http.get('/api/configurations');
  expect([datasets.status, settings.status, configurations.status]).toEqual([200, 200, 200]);
  const oneByOne = {
    datasets: [] as unknown[],
    configurations: [] as unknown[],
  };
  for (const d of datasets.body.items) oneByOne.datasets.push((await http.get(`/api/datasets/${d.id}`)).body);
  for (const c of configurations.body.items) oneByOne.configurations.push((await http.get(`/api/configurations/${c.id}`)).body);
  const perDataset: Record<string, unknown[]> = {};
  for (const d of datasets.body.items) perDataset[d.id] = await allLocations(http, { datasetId: d.id }, 400);
  return {
    datasets: datasets.body,
    locations: await allLocations(http, {}, 1000),
    perDataset,
    settings: settings.body,
    configurations: configurations.body,
    oneByOne,
  };
}

/** Writes a bit of everything through the API; returns the import job's id. */
async function writeEverything(http: Http): Promise<{ importJobId: string; keptId: string }> {
  const kept = await createDataset(http, { name: 'Kept', description: 'stays', color: '#112233', columnMapping: { quantity: 'population' } });
  const hidden = await createDataset(http, { name: 'Hidden' });
  const doomed = await createDataset(http, { name: 'Doomed' });
  expect((await http.patch(`/api/datasets/${hidden.id}`).send({ visible: false, name: 'Hidden (renamed)' })).status).toBe(200);

  const imp = await http.post(`/api/datasets/${kept.id}/import`).query({ fileName: 'cities.csv' }).set('Content-Type', 'text/csv').send(csv(2500));
  expect(imp.status).toBe(202);
  expect((await waitForJob(http, imp.body.jobId)).state).toBe('completed');

  for (const [datasetId, id, quantity] of [
    [hidden.id, 'p-hidden-1', 4],
    [hidden.id, 'p-hidden-2', undefined],
    [doomed.id, 'p-doomed-1', 1],
  ] as const) {
    const body = { id, name: `Place ${id}`, latitude: 12.5, longitude: -45.25, properties: { tag: id, n: 1 }, ...(quantity === undefined ? {} : { quantity }) };
    expect((await http.post(`/api/datasets/${datasetId}/locations`).send(body)).status).toBe(201);
  }
  expect((await http.delete(`/api/datasets/${doomed.id}`)).status).toBe(204);

  expect((await http.patch('/api/settings').send({ theme: 'dark', rotationSpeed: 3.5, language: 'fr' })).status).toBe(200);
  expect((await http.put('/api/configurations/view-1').send({ kind: 'camera-view', name: 'View 1', value: { lat: 1, lng: 2 } })).status).toBe(200);
  expect((await http.put('/api/configurations/filter-1').send({ kind: 'filter', name: 'Filter 1', value: { min: 10 } })).status).toBe(200);
  expect((await http.put('/api/configurations/view-1').send({ kind: 'camera-view', name: 'View 1b', value: { lat: 3 } })).status).toBe(200);
  expect((await http.put('/api/configurations/gone').send({ kind: 'other', name: 'Gone', value: null })).status).toBe(200);
  expect((await http.delete('/api/configurations/gone')).status).toBe(204);
  return { importJobId: imp.body.jobId, keptId: kept.id };
}

async function rebuild(http: Http) {
  const res = await http.post('/api/projections/rebuild');
  expect(res.status).toBe(202);
  expect(Object.keys(res.body)).toEqual(['jobId']);
  const job = await waitForJob(http, res.body.jobId);
  expect(job).toMatchObject({ kind: 'rebuild', state: 'completed', error: null });
  return job;
}

describe('persistence (e2e)', () => {
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('data, the log and job records survive a restart on the same DATA_DIR', async () => {
    t = await startApp();
    const { importJobId, keptId } = await writeEverything(t.http);
    const before = await readModelAnswers(t.http);
    const jobBefore = (await t.http.get(`/api/jobs/${importJobId}`)).body;
    const jobsBefore = (await t.http.get('/api/jobs')).body;
    const auditBefore = await allAudit(t.http);

    // sanity: the fixture is what we think it is
    expect(before.datasets.items.map((d: any) => [d.name, d.locationCount])).toEqual([
      ['Kept', 2500],
      ['Hidden (renamed)', 2],
    ]);
    expect(before.locations).toHaveLength(2502);
    expect(before.datasets.items[0].source).toEqual({ fileName: 'cities.csv', format: 'csv' });
    expect(before.configurations.items.map((c: any) => c.id)).toEqual(['filter-1', 'view-1']);
    expect(jobBefore.state).toBe('completed');

    const dataDir = t.dataDir;
    await t.stop();
    t = await restartApp(dataDir);
    const http = t.http;

    expect(await readModelAnswers(http)).toEqual(before);
    expect((await http.get(`/api/jobs/${importJobId}`)).body).toEqual(jobBefore);
    expect((await http.get('/api/jobs')).body).toEqual(jobsBefore);
    expect(await allAudit(http)).toEqual(auditBefore);

    // the restarted service keeps writing where the log left off
    const after = await http.post(`/api/datasets/${keptId}/locations`).send({ name: 'After restart', latitude: 1, longitude: 1 });
    expect(after.status).toBe(201);
    const [latest] = (await http.get('/api/audit').query({ limit: 1 })).body.items;
    expect(latest.position).toBe(auditBefore[auditBefore.length - 1].position + 1);
    expect(latest.revision).toBe(auditBefore.filter((e) => e.stream === `dataset-${keptId}`).length);
    expect((await http.get(`/api/datasets/${keptId}`)).body.locationCount).toBe(2501);
  });

  it('POST /api/projections/rebuild answers 202 {jobId}; every read-model answer is identical after it', async () => {
    t = await startApp();
    const http = t.http;
    const { keptId } = await writeEverything(http);
    const before = await readModelAnswers(http);
    const auditBefore = await allAudit(http);

    const job = await rebuild(http);
    expect(job.result).toEqual({ position: auditBefore[auditBefore.length - 1].position });
    expect(job.cancellable).toBe(false);
    expect((await http.get('/api/jobs').query({ kind: 'rebuild' })).body.items.map((j: any) => j.id)).toEqual([job.id]);

    expect(await readModelAnswers(http)).toEqual(before);
    // a rebuild appends nothing
    expect(await allAudit(http)).toEqual(auditBefore);

    // and the service keeps working on the rebuilt read models
    expect((await http.post(`/api/datasets/${keptId}/locations`).send({ id: 'post-rebuild', name: 'x', latitude: 0, longitude: 0 })).status).toBe(201);
    expect((await http.post(`/api/datasets/${keptId}/locations`).send({ id: 'post-rebuild', name: 'x', latitude: 0, longitude: 0 })).status).toBe(409);
    expect((await http.get(`/api/datasets/${keptId}`)).body.locationCount).toBe(2501);

    // a rebuild after a restart gives the same answers again
    const now = await readModelAnswers(http);
    const dataDir = t.dataDir;
    await t.stop();
    t = await restartApp(dataDir);
    await rebuild(t.http);
    expect(await readModelAnswers(t.http)).toEqual(now);
  });

  // Depends on PATCH/DELETE /api/locations/:id, which answer 500 today: see the BUG note in
  // locations.e2e-spec.ts (src/globe/locations/location.commands.ts:36). Fails until that is fixed.
  it('a rebuild replays location edits and removals exactly as they were projected live', async () => {
    t = await startApp();
    const http = t.http;
    const ds = await createDataset(http, { name: 'Edited' });
    for (let i = 0; i < 4; i++) {
      const res = await http.post(`/api/datasets/${ds.id}/locations`).send({ id: `e-${i}`, name: `E ${i}`, latitude: i, longitude: i, quantity: i, properties: { i } });
      expect(res.status).toBe(201);
    }
    expect((await http.patch('/api/locations/e-0').send({ quantity: null, properties: { replaced: true } })).status).toBe(200);
    expect((await http.patch('/api/locations/e-1').send({ name: 'Moved', latitude: -10, longitude: 170 })).status).toBe(200);
    expect((await http.delete('/api/locations/e-2')).status).toBe(204);
    const before = await readModelAnswers(http);
    expect(before.locations.map((l: any) => l.id)).toEqual(['e-0', 'e-1', 'e-3']);
    expect(before.locations[0]).not.toHaveProperty('quantity');

    await rebuild(http);
    expect(await readModelAnswers(http)).toEqual(before);
  });
  // BUG (src/jobs/job-runner.ts, JobRunner.start's `setImmediate(() => void this.run(job, work))` and
  // run()/finish(); HEAD lines 107, 147-164, 189-198): the JobRunner neither stops nor awaits running
  // jobs when the application closes. A running import keeps going after app.close(), reaches the
  // closed stores ("The database connection is not open"), and then finish() -> persist() throws
  // inside run()'s catch; `void this.run(...)` makes that an unhandled rejection, which crashes the
  // process under Node's default (here it fails this test). Fix: keep each job's run promise; in an
  // onModuleDestroy hook abort every active job and await those promises before the stores close;
  // and never let finish()'s persist reject out of run() (catch and log).
  it('closing the service while an import runs writes nothing; after a restart the job reads as interrupted or cancelled', async () => {
    t = await startApp();
    const ds = await createDataset(t.http, { name: 'Interrupted' });
    const started = await t.http.post(`/api/datasets/${ds.id}/import`).set('Content-Type', 'text/csv').send(csv(300_000));
    expect(started.status).toBe(202);
    await sleep(50);
    const dataDir = t.dataDir;
    await t.stop();

    // the job's own clean-up removes its staged files when it ends, whatever the app does
    const tmp = join(dataDir, 'tmp');
    const deadline = Date.now() + 30_000;
    while (existsSync(tmp) && readdirSync(tmp).some((n) => n.startsWith('import-')) && Date.now() < deadline) await sleep(50);
    await sleep(200); // room for whatever the ended job does next

    t = await restartApp(dataDir);
    const job = (await t.http.get(`/api/jobs/${started.body.jobId}`)).body;
    expect(['failed', 'cancelled']).toContain(job.state);
    expect(['JOB.INTERRUPTED', 'JOB.CANCELLED']).toContain(job.error.code);
    expect((await t.http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(0);
    expect(await allAudit(t.http, { correlationId: started.body.jobId })).toEqual([]);
  });
});
