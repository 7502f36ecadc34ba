import { TestApp, createDataset, startApp, waitForJob } from '../support/app-harness';

/** The Globe app's location table order, server-side, and reading a backup's locations. */
describe('locations: sort orders and backup reads (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApp()));
  afterAll(() => t.close());

  async function walk(query: Record<string, string | number>): Promise<{ id: string; name: string; created_at: string }[]> {
    const out: { id: string; name: string; created_at: string }[] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await t.http.get('/api/locations').query({ ...query, ...(cursor ? { cursor } : {}) }).expect(200);
      out.push(...res.body.items);
      if (!res.body.next) return out;
      cursor = res.body.next;
    }
  }

  it('walks every location exactly once in name, created_at and id order, both directions, and refuses a cursor of another order', async () => {
    const ds = await createDataset(t.http, { name: 'Ordered' });
    // names repeat (ties are broken by id), and ids do not follow names
    for (let i = 0; i < 60; i++) {
      await t.http.post(`/api/datasets/${ds.id}/locations`).send({ id: `id-${String((i * 37) % 60).padStart(2, '0')}`, name: `N${i % 7}`, latitude: 1, longitude: 2 }).expect(201);
    }
    const all = await walk({ datasetId: ds.id, limit: 1000 });
    const byNameThenId = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    expect((await walk({ datasetId: ds.id, sort: 'name', limit: 7 })).map((l) => l.id)).toEqual(byNameThenId.map((l) => l.id));
    expect((await walk({ datasetId: ds.id, sort: 'name', order: 'desc', limit: 9 })).map((l) => l.id)).toEqual(byNameThenId.reverse().map((l) => l.id));
    const byCreated = await walk({ datasetId: ds.id, sort: 'created_at', limit: 11 });
    expect(byCreated.length).toBe(60);
    expect(byCreated.every((l, i) => i === 0 || byCreated[i - 1].created_at <= l.created_at)).toBe(true);
    expect((await walk({ datasetId: ds.id, order: 'desc', limit: 13 })).map((l) => l.id)).toEqual([...all].map((l) => l.id).sort().reverse());

    const first = await t.http.get('/api/locations').query({ datasetId: ds.id, sort: 'name', limit: 5 }).expect(200);
    const wrong = await t.http.get('/api/locations').query({ datasetId: ds.id, sort: 'created_at', limit: 5, cursor: first.body.next });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('QUERY.INVALID_CURSOR');
    expect((await t.http.get('/api/locations').query({ sort: 'population' })).body.code).toBe('QUERY.INVALID');
  });

  it('reads the locations a backup holds (the Restore Wizard globe preview of a backup)', async () => {
    const ds = await createDataset(t.http, { name: 'Backed up' });
    await t.http.post(`/api/datasets/${ds.id}/locations`).send({ id: 'kept-1', name: 'Kept', latitude: 10, longitude: 20, properties: { a: 1 } }).expect(201);
    const backup = await t.http.post('/api/backups').send({});
    expect((await waitForJob(t.http, backup.body.jobId)).state).toBe('completed');
    await t.http.delete(`/api/datasets/${ds.id}`).expect(204);
    const live = await t.http.get('/api/locations').query({ datasetId: ds.id }).expect(200);
    expect(live.body.items).toEqual([]);
    const fromBackup = await t.http.get('/api/locations').query({ datasetId: ds.id, backupId: backup.body.backupId }).expect(200);
    expect(fromBackup.body.items).toEqual([expect.objectContaining({ id: 'kept-1', name: 'Kept', latitude: 10, longitude: 20, properties: { a: 1 } })]);
    expect((await t.http.get('/api/locations').query({ backupId: 'nope' })).status).toBe(404);
  });
});
