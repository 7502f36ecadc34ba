import { Http, TestApp, allLocations, startApp, waitForJob } from '../support/app-harness';

/**
 * `POST /api/datasets/import?name=` creates the dataset and imports its rows in one append: a file
 * that fails leaves no dataset behind (the UI used to create the dataset first, and a failed import
 * left it empty), and one that succeeds is a dataset with its rows, named as asked, whose creation
 * and rows share the import's correlation in the audit trail.
 */
describe('import into a new dataset (e2e)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
  });
  afterAll(() => t?.close());

  const datasets = async () => (await http.get('/api/datasets').expect(200)).body.items as { id: string; name: string; color: string; source: unknown }[];
  const importNew = (query: Record<string, string>, csv: string) => http.post('/api/datasets/import').query(query).set('Content-Type', 'text/csv').send(csv);

  it('a file with a bad row leaves no dataset, no event and no job result pointing at one', async () => {
    const head = (await http.get('/api/audit').query({ limit: 1 }).expect(200)).body;
    const res = await importNew({ name: 'Atomic failure' }, 'name,lat,lng\nok,1,2\nbad,999,2\n');
    expect(res.status).toBe(202);
    const job = await waitForJob(http, res.body.jobId);
    expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code: 'IMPORT.INVALID_ROWS' });
    expect((await datasets()).map((d) => d.name)).not.toContain('Atomic failure');
    expect((await http.get(`/api/datasets/${res.body.datasetId}`)).status).toBe(404);
    expect((await http.get('/api/audit').query({ limit: 1 }).expect(200)).body).toEqual(head);
  });

  it('a good file becomes a dataset with its rows, its name, colour and source, in one append', async () => {
    const res = await importNew({ name: 'Cities', color: '#10b981', fileName: 'cities.csv' }, 'name,lat,lng\nZurich,47.37,8.54\nOslo,59.91,10.75\n');
    expect(res.status).toBe(202);
    const job = await waitForJob(http, res.body.jobId);
    expect(job.state).toBe('completed');
    const created = (await datasets()).find((d) => d.id === res.body.datasetId);
    expect(created).toMatchObject({ name: 'Cities', color: '#10b981', source: { fileName: 'cities.csv', format: 'csv' } });
    expect((await allLocations(http, { datasetId: res.body.datasetId })).map((l: { name: string }) => l.name).sort()).toEqual(['Oslo', 'Zurich']);
    const trail = (await http.get('/api/audit').query({ correlationId: job.id, limit: 10, order: 'asc' }).expect(200)).body.items as { type: string }[];
    expect(trail.map((e) => e.type)).toEqual(['RestorePointCreated', 'DatasetCreated', 'LocationsAdded', 'DatasetImported']);
  });

  it('takes a GeoJSON body like the import into an existing dataset (streamed, not parsed as a JSON request)', async () => {
    const geojson = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [8.54, 47.37] }, properties: { name: 'Zurich' } }] };
    const res = await http.post('/api/datasets/import').query({ name: 'Places' }).set('Content-Type', 'application/geo+json').send(JSON.stringify(geojson));
    expect(res.status).toBe(202);
    expect((await waitForJob(http, res.body.jobId)).state).toBe('completed');
    expect((await allLocations(http, { datasetId: res.body.datasetId })).map((l: { name: string }) => l.name)).toEqual(['Zurich']);
  });

  it('refuses a missing or empty name and unknown options with 400 IMPORT.INVALID_OPTIONS, creating nothing', async () => {
    const before = (await datasets()).length;
    const queries: Record<string, string>[] = [{}, { name: '  ' }, { name: 'x', nope: '1' }, { name: 'x', color: 'blue' }];
    for (const query of queries) {
      const res = await importNew(query, 'name,lat,lng\nok,1,2\n');
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'IMPORT.INVALID_OPTIONS' });
    }
    expect((await datasets()).length).toBe(before);
  });
});
