import { Http, TestApp, allLocations, createDataset, csv, sleep, startApp, waitForJob } from '../support/app-harness';

/** Locations: one at a time (add, read, change, delete) and the keyset-paginated, filtered list. */
describe('locations (e2e)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
  });
  afterAll(async () => {
    await t?.close();
  });

  const add = (datasetId: string, body: Record<string, unknown>) => http.post(`/api/datasets/${datasetId}/locations`).send(body);
  const list = (query: Record<string, string | number>) => http.get('/api/locations').query(query);

  // BUG (src/globe/locations/location.commands.ts:36): UpdateLocationHandler and RemoveLocationHandler
  // have no constructor of their own and their base ExistingLocationHandler is not decorated, so no
  // `design:paramtypes` metadata exists for Nest to inject from: `runner` and `readModel` are
  // undefined and every PATCH/DELETE /api/locations/:id answers 500 ("Cannot read properties of
  // undefined (reading 'run')"). Fix: put @Injectable() on ExistingLocationHandler (or give each
  // subclass an explicit constructor calling super). The patch/delete tests below fail until then.
  describe('one location', () => {
    let ds: any;
    beforeAll(async () => {
      ds = await createDataset(http, { name: 'Single' });
    });

    it('adds a location (201) with a minted id, the dataset id and timestamps', async () => {
      const res = await add(ds.id, { name: ' Paris ', latitude: 48.8566, longitude: 2.3522 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        datasetId: ds.id,
        name: 'Paris',
        latitude: 48.8566,
        longitude: 2.3522,
        properties: {},
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(res.body).not.toHaveProperty('quantity');
      const got = await http.get(`/api/locations/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('keeps a given id, quantity and properties; a duplicate id is 409 LOCATION.ID_TAKEN in any dataset', async () => {
      const body = { id: 'loc-given-1', name: 'Berlin', latitude: 52.52, longitude: 13.405, quantity: 7, properties: { country: 'DE', pop: 3.6 } };
      const res = await add(ds.id, body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ ...body, datasetId: ds.id });

      const dup = await add(ds.id, { id: 'loc-given-1', name: 'Other', latitude: 1, longitude: 1 });
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({ code: 'LOCATION.ID_TAKEN', message: expect.any(String), details: { id: 'loc-given-1' } });

      const other = await createDataset(http, { name: 'Other dataset' });
      const dupElsewhere = await add(other.id, { id: 'loc-given-1', name: 'Other', latitude: 1, longitude: 1 });
      expect(dupElsewhere.status).toBe(409);
      expect(dupElsewhere.body.code).toBe('LOCATION.ID_TAKEN');

      // the original is untouched
      expect((await http.get('/api/locations/loc-given-1')).body).toEqual(res.body);
      expect((await http.get(`/api/datasets/${other.id}`)).body.locationCount).toBe(0);
    });

    it('refuses bad coordinates with 400 LOCATION.INVALID_COORDINATES', async () => {
      const cases: Array<Record<string, unknown>> = [
        { latitude: 91, longitude: 0 },
        { latitude: -90.0001, longitude: 0 },
        { latitude: 0, longitude: -181 },
        { latitude: 0, longitude: 180.5 },
        { latitude: 'NaN', longitude: 0 },
        { latitude: 0, longitude: 'NaN' },
        { latitude: '45', longitude: 0 },
        { latitude: null, longitude: 0 },
        { longitude: 0 },
      ];
      for (const coords of cases) {
        const res = await add(ds.id, { name: 'Bad', ...coords });
        expect({ coords, status: res.status, code: res.body.code }).toEqual({ coords, status: 400, code: 'LOCATION.INVALID_COORDINATES' });
      }
      // a raw-JSON NaN is not even JSON
      const nan = await http.post(`/api/datasets/${ds.id}/locations`).set('Content-Type', 'application/json').send('{"name":"x","latitude":NaN,"longitude":0}');
      expect(nan.status).toBe(400);
      // other mistakes get the generic code
      const noName = await add(ds.id, { latitude: 1, longitude: 1 });
      expect(noName.status).toBe(400);
      expect(noName.body.code).toBe('LOCATION.INVALID_INPUT');
      const extra = await add(ds.id, { name: 'x', latitude: 1, longitude: 1, colour: 'red' });
      expect(extra.status).toBe(400);
      expect(extra.body.code).toBe('LOCATION.INVALID_INPUT');
      // nothing was written
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(2);
    });

    it('patches a location: rename and move, quantity null removes it, properties are replaced whole', async () => {
      const created = (await add(ds.id, { name: 'Rome', latitude: 41.9, longitude: 12.5, quantity: 3, properties: { a: 1, b: 'two' } })).body;
      await sleep(5);
      const res = await http.patch(`/api/locations/${created.id}`).send({ name: 'Roma', latitude: 41.89, properties: { c: true } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...created,
        name: 'Roma',
        latitude: 41.89,
        properties: { c: true },
        updated_at: expect.any(String),
      });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
      expect(res.body.created_at).toBe(created.created_at);

      const noQuantity = await http.patch(`/api/locations/${created.id}`).send({ quantity: null });
      expect(noQuantity.status).toBe(200);
      expect(noQuantity.body).not.toHaveProperty('quantity');
      expect(noQuantity.body).toMatchObject({ name: 'Roma', latitude: 41.89, longitude: 12.5, properties: { c: true } });

      const got = await http.get(`/api/locations/${created.id}`);
      expect(got.body).toEqual(noQuantity.body);

      const back = await http.patch(`/api/locations/${created.id}`).send({ quantity: 0, properties: {} });
      expect(back.status).toBe(200);
      expect(back.body.quantity).toBe(0);
      expect(back.body.properties).toEqual({});
    });

    it('refuses bad patches: coordinates, unknown keys, empty patch, unknown id', async () => {
      const created = (await add(ds.id, { name: 'Oslo', latitude: 59.9, longitude: 10.7 })).body;
      const lat = await http.patch(`/api/locations/${created.id}`).send({ latitude: 91 });
      expect(lat.status).toBe(400);
      expect(lat.body.code).toBe('LOCATION.INVALID_COORDINATES');
      const lng = await http.patch(`/api/locations/${created.id}`).send({ longitude: -181 });
      expect(lng.status).toBe(400);
      expect(lng.body.code).toBe('LOCATION.INVALID_COORDINATES');
      const unknown = await http.patch(`/api/locations/${created.id}`).send({ datasetId: 'elsewhere' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.code).toBe('LOCATION.INVALID_INPUT');
      const empty = await http.patch(`/api/locations/${created.id}`).send({});
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('LOCATION.INVALID_INPUT');
      expect((await http.get(`/api/locations/${created.id}`)).body).toEqual(created);

      const missing = await http.patch('/api/locations/no-such-location').send({ name: 'x' });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ code: 'LOCATION.NOT_FOUND', message: expect.any(String), details: { id: 'no-such-location' } });
    });

    it('deletes a location (204); then it is 404 and a second delete is 404', async () => {
      const created = (await add(ds.id, { name: 'Gone', latitude: 1, longitude: 2 })).body;
      const count = (await http.get(`/api/datasets/${ds.id}`)).body.locationCount;
      const del = await http.delete(`/api/locations/${created.id}`);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      const got = await http.get(`/api/locations/${created.id}`);
      expect(got.status).toBe(404);
      expect(got.body.code).toBe('LOCATION.NOT_FOUND');
      const again = await http.delete(`/api/locations/${created.id}`);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('LOCATION.NOT_FOUND');
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(count - 1);
    });
  });

  describe('concurrent writes', () => {
    it('30 parallel adds to one dataset all succeed (optimistic concurrency retries), each recorded once', async () => {
      const ds = await createDataset(http, { name: 'Parallel' });
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => add(ds.id, { id: `par-${i}`, name: `P ${i}`, latitude: i, longitude: i })));
      expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(30);
      const events = (await http.get('/api/audit').query({ datasetId: ds.id, type: 'LocationsAdded', limit: 100 })).body.items;
      expect(events).toHaveLength(30);
      expect(events.map((e: any) => e.revision).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('parallel adds with the same id: exactly one 201, the rest 409 LOCATION.ID_TAKEN', async () => {
      const ds = await createDataset(http, { name: 'Same id race' });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => add(ds.id, { id: 'race-1', name: `R ${i}`, latitude: 1, longitude: 1 })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(409)]);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'LOCATION.ID_TAKEN')).toBe(true);
      const winner = results.find((r) => r.status === 201)!.body;
      expect((await http.get('/api/locations/race-1')).body).toEqual(winner);
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(1);
    });
  });

  describe('the list', () => {
    it('walks 250 locations with limit 100 in 3 pages, each exactly once, in id order; next is null at the end', async () => {
      const ds = await createDataset(http, { name: 'Paged' });
      const imp = await http.post(`/api/datasets/${ds.id}/import`).set('Content-Type', 'text/csv').send(csv(250));
      expect(imp.status).toBe(202);
      expect((await waitForJob(http, imp.body.jobId)).state).toBe('completed');

      const pages: any[][] = [];
      let cursor: string | null = null;
      do {
        const res: any = await list({ datasetId: ds.id, limit: 100, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        pages.push(res.body.items);
        cursor = res.body.next;
        expect(pages.length).toBeLessThanOrEqual(3);
      } while (cursor !== null);
      expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
      const ids = pages.flat().map((l) => l.id);
      expect(new Set(ids).size).toBe(250);
      expect([...ids].sort()).toEqual(ids);
      expect(pages.flat().every((l) => l.datasetId === ds.id)).toBe(true);
      expect(new Set(pages.flat().map((l) => l.name))).toEqual(new Set(Array.from({ length: 250 }, (_, i) => `City ${i}`)));

      // a last page that is exactly full still ends with next: null
      const first = await list({ datasetId: ds.id, limit: 125 });
      expect(first.body.items).toHaveLength(125);
      expect(first.body.next).toEqual(expect.any(String));
      const second = await list({ datasetId: ds.id, limit: 125, cursor: first.body.next });
      expect(second.body.items).toHaveLength(125);
      expect(second.body.next).toBeNull();

      // default limit is 100
      const dflt = await list({ datasetId: ds.id });
      expect(dflt.body.items).toHaveLength(100);

      // the unfiltered walk sees them all too, once each
      const everything = await allLocations(http, {}, 70);
      const everyId = everything.map((l) => l.id);
      expect(new Set(everyId).size).toBe(everyId.length);
      for (const id of ids) expect(everyId).toContain(id);
    });

    it('refuses a cursor it did not issue with 400 QUERY.INVALID_CURSOR', async () => {
      for (const cursor of ['not-a-cursor', Buffer.from('[1]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
        const res = await list({ cursor });
        expect({ cursor, status: res.status, code: res.body.code }).toEqual({ cursor, status: 400, code: 'QUERY.INVALID_CURSOR' });
      }
    });

    it('refuses a bad limit or an unknown parameter with 400 QUERY.INVALID', async () => {
      const queries: Array<Record<string, string | number>> = [{ limit: 10_001 }, { limit: 0 }, { limit: -5 }, { limit: 'many' }, { limit: 1.5 }, { orderBy: 'name' }];
      for (const query of queries) {
        const res = await list(query);
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'QUERY.INVALID' });
      }
      const max = await list({ limit: 10_000 });
      expect(max.status).toBe(200);
    });

    it('q filters by name: case-insensitive substring, with % and _ taken literally', async () => {
      const ds = await createDataset(http, { name: 'Search' });
      const names = ['Alpha Town', 'alphaville', 'ALPHA', 'Beta', '100% Pure', '1000 Pure', 'snake_case', 'snakeXcase', 'back\\slash'];
      for (const name of names) expect((await add(ds.id, { name, latitude: 0, longitude: 0 })).status).toBe(201);
      const search = async (q: string) =>
        ((await list({ datasetId: ds.id, q })).body.items as any[]).map((l) => l.name).sort();

      expect(await search('alpha')).toEqual(['ALPHA', 'Alpha Town', 'alphaville']);
      expect(await search('ALPHAV')).toEqual(['alphaville']);
      expect(await search('%')).toEqual(['100% Pure']);
      expect(await search('0%')).toEqual(['100% Pure']);
      expect(await search('_')).toEqual(['snake_case']);
      expect(await search('e_c')).toEqual(['snake_case']);
      expect(await search('\\')).toEqual(['back\\slash']);
      expect(await search('zzz')).toEqual([]);
    });

    // BUG (src/globe/locations/location.queries.ts:45): the q filter is SQLite's LIKE, which folds
    // case for ASCII letters only, so q=évora does not find "Évora" (nor zürich "ZÜRICH", москва
    // "Москва"). Fix: compare case-folded text, e.g. a `name_folded` column written by the projector
    // with name.toLowerCase() (or a better-sqlite3 user function) and q.toLowerCase() on the query side.
    it('q is case-insensitive beyond ASCII too', async () => {
      const ds = await createDataset(http, { name: 'Unicode search' });
      for (const name of ['Évora', 'ZÜRICH', 'Москва']) expect((await add(ds.id, { name, latitude: 0, longitude: 0 })).status).toBe(201);
      for (const [q, name] of [['évora', 'Évora'], ['zürich', 'ZÜRICH'], ['москва', 'Москва']]) {
        const res = await list({ datasetId: ds.id, q });
        expect({ q, names: res.body.items.map((l: any) => l.name) }).toEqual({ q, names: [name] });
      }
    });

    it('bbox filters by west,south,east,north, including a box crossing the antimeridian (west > east)', async () => {
      const ds = await createDataset(http, { name: 'Boxes' });
      const points: Array<[string, number, number]> = [
        ['fiji', -17, 178],
        ['samoa', -14, -172],
        ['greenwich', 51, 0],
        ['far-north', 80, 179],
        ['tokyo', 35.7, 139.7],
        ['edge-east', 0, 180],
        ['edge-west', 0, -180],
      ];
      for (const [name, latitude, longitude] of points) expect((await add(ds.id, { name, latitude, longitude })).status).toBe(201);
      const box = async (bbox: string) => {
        const res = await list({ datasetId: ds.id, bbox });
        expect(res.status).toBe(200);
        return (res.body.items as any[]).map((l) => l.name).sort();
      };
      expect(await box('170,-30,-170,30')).toEqual(['edge-east', 'edge-west', 'fiji', 'samoa']);
      expect(await box('170,-30,-170,85')).toEqual(['edge-east', 'edge-west', 'far-north', 'fiji', 'samoa']);
      expect(await box('-10,40,10,60')).toEqual(['greenwich']);
      expect(await box('130,30,150,40')).toEqual(['tokyo']);
      expect(await box('-180,-90,180,90')).toHaveLength(points.length);

      for (const bad of ['0,10,10,0', '1,2,3', '0,0,10,91', '-181,0,0,10', 'a,b,c,d', '']) {
        const res = await list({ datasetId: ds.id, bbox: bad });
        expect({ bad, status: res.status, code: res.body.code }).toEqual({ bad, status: 400, code: 'QUERY.INVALID' });
      }
    });

    it('combines datasetId, q and bbox, and pages through the filtered result', async () => {
      const ds = await createDataset(http, { name: 'Combined' });
      for (let i = 0; i < 12; i++) {
        const res = await add(ds.id, { id: `combo-${String(i).padStart(2, '0')}`, name: i % 2 ? `Odd ${i}` : `Even ${i}`, latitude: i, longitude: i * 10 });
        expect(res.status).toBe(201);
      }
      const found = await allLocations(http, { datasetId: ds.id, q: 'odd', bbox: '0,0,75,90' }, 2);
      expect(found.map((l) => l.id)).toEqual(['combo-01', 'combo-03', 'combo-05', 'combo-07']);
    });
  });
});
