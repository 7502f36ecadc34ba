import { Http, TestApp, allAudit, createDataset, csv, sleep, startApp, waitForJob } from '../support/app-harness';

/** The audit trail (the log, filtered and paged) and the jobs API. */
describe('audit and jobs (e2e)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
  });
  afterAll(async () => {
    await t?.close();
  });

  const audit = (query: Record<string, string | number>) => http.get('/api/audit').query(query);
  const createAs = (actor: string, name: string) => http.post('/api/datasets').set('X-Actor', actor).send({ name });

  describe('audit', () => {
    it('items carry position, eventId, stream, revision, type, data, recordedAt and the request metadata', async () => {
      const res = await http
        .post('/api/datasets')
        .set('X-Actor', 'alice')
        .set('X-Source', 'ui')
        .set('X-Reason', 'tidy up the map')
        .set('X-Request-Id', 'req-audit-1')
        .send({ name: 'Audited' });
      expect(res.status).toBe(201);
      const ds = res.body;

      const page = await audit({ correlationId: 'req-audit-1' });
      expect(page.status).toBe(200);
      expect(page.body.next).toBeNull();
      expect(page.body.items).toHaveLength(1);
      const [event] = page.body.items;
      expect(event).toEqual({
        position: expect.any(Number),
        eventId: expect.any(String),
        stream: `dataset-${ds.id}`,
        revision: 0,
        type: 'DatasetCreated',
        schemaVersion: 1,
        data: { dataset: { ...ds, locationCount: undefined } },
        metadata: { actor: 'alice', source: 'ui', correlationId: 'req-audit-1', causationId: null, reason: 'tidy up the map' },
        recordedAt: expect.any(String),
      });
      expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
      expect(event.data.dataset).not.toHaveProperty('locationCount');
    });

    it('without headers the actor is anonymous, the source api, and a correlation id is minted; a bad X-Source reads as api', async () => {
      const ds = await createDataset(http, { name: 'Anonymous' });
      const [event] = await allAudit(http, { datasetId: ds.id });
      expect(event.metadata).toEqual({ actor: 'anonymous', source: 'api', correlationId: expect.any(String), causationId: null });
      expect(event.metadata.correlationId.length).toBeGreaterThan(0);

      const odd = await http.post('/api/datasets').set('X-Source', 'import').set('X-Actor', '   ').send({ name: 'Spoofed' });
      expect(odd.status).toBe(201);
      const [spoofed] = await allAudit(http, { datasetId: odd.body.id });
      expect(spoofed.metadata).toMatchObject({ actor: 'anonymous', source: 'api' });

      for (const source of ['cli', 'api']) {
        const r = await http.post('/api/datasets').set('X-Source', source).send({ name: `From ${source}` });
        const [e] = await allAudit(http, { datasetId: r.body.id });
        expect(e.metadata.source).toBe(source);
      }
    });

    it('headers of every kind of write land in the metadata (location, settings, configuration)', async () => {
      const ds = await createDataset(http, { name: 'Headers' });
      const headers = { 'X-Actor': 'bob', 'X-Source': 'cli', 'X-Reason': 'fix typo', 'X-Request-Id': 'req-bob' };
      expect((await http.post(`/api/datasets/${ds.id}/locations`).set(headers).send({ name: 'P', latitude: 1, longitude: 1 })).status).toBe(201);
      expect((await http.patch('/api/settings').set(headers).send({ autoRotate: false })).status).toBe(200);
      expect((await http.put('/api/configurations/bob-view').set(headers).send({ kind: 'camera-view', name: 'Bob', value: {} })).status).toBe(200);
      const events = await allAudit(http, { correlationId: 'req-bob' });
      expect(events.map((e) => [e.type, e.stream])).toEqual([
        ['LocationsAdded', `dataset-${ds.id}`],
        ['SettingsChanged', 'settings'],
        ['ConfigurationSaved', 'configuration-bob-view'],
      ]);
      for (const e of events) {
        expect(e.metadata).toEqual({ actor: 'bob', source: 'cli', correlationId: 'req-bob', causationId: null, reason: 'fix typo' });
      }
    });

    it('filters by type (a comma list), actor, datasetId and stream', async () => {
      const actor = 'filter-actor';
      const a = (await createAs(actor, 'Filter A')).body;
      const b = (await createAs(actor, 'Filter B')).body;
      expect((await http.patch(`/api/datasets/${a.id}`).set('X-Actor', actor).send({ name: 'Filter A2' })).status).toBe(200);
      expect((await http.post(`/api/datasets/${a.id}/locations`).set('X-Actor', 'someone-else').send({ name: 'L', latitude: 0, longitude: 0 })).status).toBe(201);

      const byActor = await audit({ actor });
      expect(byActor.status).toBe(200);
      // newest first by default
      expect(byActor.body.items.map((e: any) => e.type)).toEqual(['DatasetUpdated', 'DatasetCreated', 'DatasetCreated']);
      expect(byActor.body.items.every((e: any) => e.metadata.actor === actor)).toBe(true);

      const created = await audit({ actor, type: 'DatasetCreated' });
      expect(created.body.items.map((e: any) => e.data.dataset.id)).toEqual([b.id, a.id]);

      const ofA = await audit({ datasetId: a.id });
      expect(ofA.body.items.map((e: any) => e.type)).toEqual(['LocationsAdded', 'DatasetUpdated', 'DatasetCreated']);
      expect(ofA.body.items.every((e: any) => e.stream === `dataset-${a.id}`)).toBe(true);
      expect(ofA.body.items.map((e: any) => e.revision)).toEqual([2, 1, 0]);

      const twoTypes = await audit({ datasetId: a.id, type: 'DatasetUpdated,LocationsAdded' });
      expect(twoTypes.body.items.map((e: any) => e.type)).toEqual(['LocationsAdded', 'DatasetUpdated']);

      const byStream = await audit({ stream: `dataset-${a.id}` });
      expect(byStream.body).toEqual(ofA.body);

      const combined = await audit({ datasetId: a.id, actor: 'someone-else' });
      expect(combined.body.items.map((e: any) => e.type)).toEqual(['LocationsAdded']);

      const none = await audit({ actor: 'nobody-at-all' });
      expect(none.body).toEqual({ items: [], next: null, olderHistory: null });
    });

    it('filters by time with inclusive from/to', async () => {
      const actor = 'timed-actor';
      await createAs(actor, 'T1');
      await sleep(30);
      await createAs(actor, 'T2');
      await createAs(actor, 'T3');
      await sleep(30);
      await createAs(actor, 'T4');
      const all = await allAudit(http, { actor });
      expect(all.map((e) => e.data.dataset.name)).toEqual(['T1', 'T2', 'T3', 'T4']);
      const names = async (query: Record<string, string>) => {
        const res = await audit({ actor, order: 'asc', ...query });
        expect(res.status).toBe(200);
        return res.body.items.map((e: any) => e.data.dataset.name);
      };
      expect(await names({ from: all[1].recordedAt, to: all[2].recordedAt })).toEqual(['T2', 'T3']);
      expect(await names({ from: all[1].recordedAt })).toEqual(['T2', 'T3', 'T4']);
      expect(await names({ to: all[2].recordedAt })).toEqual(['T1', 'T2', 'T3']);
      expect(await names({ from: new Date(Date.parse(all[3].recordedAt) + 1).toISOString() })).toEqual([]);
      // an offset other than Z is the same instant
      const plusOne = new Date(Date.parse(all[1].recordedAt) + 3600_000).toISOString().replace('Z', '+01:00');
      expect(await names({ from: plusOne, to: all[2].recordedAt })).toEqual(['T2', 'T3']);
    });

    it('orders asc or desc and pages with after = the previous next, visiting every event once', async () => {
      const actor = 'pager';
      for (let i = 0; i < 5; i++) expect((await createAs(actor, `Page ${i}`)).status).toBe(201);

      for (const order of ['asc', 'desc'] as const) {
        const pages: any[][] = [];
        let after: string | null = null;
        do {
          const res: any = await audit({ actor, order, limit: 2, ...(after ? { after } : {}) });
          expect(res.status).toBe(200);
          pages.push(res.body.items);
          after = res.body.next;
          expect(pages.length).toBeLessThanOrEqual(3);
        } while (after !== null);
        expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
        const positions = pages.flat().map((e) => e.position);
        expect(new Set(positions).size).toBe(5);
        const sorted = [...positions].sort((x, y) => x - y);
        expect(positions).toEqual(order === 'asc' ? sorted : sorted.reverse());
        const expectedNames = ['Page 0', 'Page 1', 'Page 2', 'Page 3', 'Page 4'];
        expect(pages.flat().map((e) => e.data.dataset.name)).toEqual(order === 'asc' ? expectedNames : expectedNames.reverse());
      }

      const dflt = await audit({ actor });
      expect(dflt.body.items.map((e: any) => e.data.dataset.name)).toEqual(['Page 4', 'Page 3', 'Page 2', 'Page 1', 'Page 0']);
    });

    it('refuses bad queries with 400', async () => {
      const cases: Array<[Record<string, string | number>, string]> = [
        [{ type: 'NoSuchEvent' }, 'QUERY.INVALID'],
        [{ type: 'DatasetCreated,Bogus' }, 'QUERY.INVALID'],
        [{ order: 'sideways' }, 'QUERY.INVALID'],
        [{ from: 'yesterday' }, 'QUERY.INVALID'],
        [{ to: '2024-13-45' }, 'QUERY.INVALID'],
        [{ limit: 1001 }, 'QUERY.INVALID'],
        [{ limit: 0 }, 'QUERY.INVALID'],
        [{ unknown: 'x' }, 'QUERY.INVALID'],
        [{ after: 'garbage' }, 'QUERY.INVALID_CURSOR'],
      ];
      for (const [query, code] of cases) {
        const res = await audit(query);
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code });
      }
    });
  });

  describe('jobs', () => {
    it('lists jobs by kind and state, newest first, and reads one job with its progress', async () => {
      const ds = await createDataset(http, { name: 'Jobs' });
      const file = csv(3);
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await http.post(`/api/datasets/${ds.id}/import`).set('Content-Type', 'text/csv').set('X-Actor', 'job-user').send(file);
        expect(res.status).toBe(202);
        expect(res.body.job).toMatchObject({ id: res.body.jobId, kind: 'import', state: 'queued', actor: 'job-user' });
        ids.push(res.body.jobId);
        await waitForJob(http, res.body.jobId);
      }
      // the CSV has no id column, so both imports write 3 new locations
      const list = await http.get('/api/jobs').query({ kind: 'import' });
      expect(list.status).toBe(200);
      expect(list.body.next).toBeNull();
      expect(list.body.items.every((j: any) => j.kind === 'import')).toBe(true);
      expect(list.body.items.slice(0, 2).map((j: any) => j.id)).toEqual([ids[1], ids[0]]);

      const completed = await http.get('/api/jobs').query({ kind: 'import', state: 'completed' });
      expect(completed.body.items.map((j: any) => j.id)).toEqual(expect.arrayContaining(ids));
      expect((await http.get('/api/jobs').query({ kind: 'import', state: 'failed' })).body.items).toEqual([]);
      expect((await http.get('/api/jobs').query({ kind: 'rebuild' })).body).toEqual({ items: [], next: null });
      expect((await http.get('/api/jobs').query({ kind: 'import', limit: 1 })).body.items.map((j: any) => j.id)).toEqual([ids[1]]);

      const one = await http.get(`/api/jobs/${ids[0]}`);
      expect(one.status).toBe(200);
      const bytes = Buffer.byteLength(file);
      // objectContaining: the job view may grow fields (the progress gateway); these must hold
      expect(one.body).toEqual(expect.objectContaining({
        id: ids[0],
        kind: 'import',
        state: 'completed',
        phase: 'done',
        done: 3,
        total: 3,
        bytes,
        bytesTotal: bytes,
        rate: expect.anything(),
        etaSeconds: 0,
        actor: 'job-user',
        params: expect.objectContaining({ datasetId: ds.id, format: 'csv', fileName: null, bytes }),
        result: expect.objectContaining({ datasetId: ds.id, rowsRead: 3, locationsWritten: 3 }),
        error: null,
        cancellable: false,
        createdAt: expect.any(String),
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        updatedAt: expect.any(String),
      }));
      expect(Date.parse(one.body.finishedAt)).toBeGreaterThanOrEqual(Date.parse(one.body.startedAt));
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(6);
    });

    it('answers 404 JOB.NOT_FOUND for an unknown job (read and cancel), 400 for a bad filter', async () => {
      const get = await http.get('/api/jobs/no-such-job');
      expect(get.status).toBe(404);
      expect(get.body).toEqual({ code: 'JOB.NOT_FOUND', message: expect.any(String), details: { id: 'no-such-job' } });
      const cancel = await http.post('/api/jobs/no-such-job/cancel');
      expect(cancel.status).toBe(404);
      expect(cancel.body.code).toBe('JOB.NOT_FOUND');
      for (const query of [{ kind: 'unzip' }, { state: 'sleeping' }, { limit: 501 }]) {
        const res = await http.get('/api/jobs').query(query);
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'QUERY.INVALID' });
      }
    });
  });
});
