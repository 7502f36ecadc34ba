import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Http, TestApp, allAudit, allLocations, createDataset, csv, startApp, waitForJob } from '../support/app-harness';

/** Imports: CSV, JSON, GeoJSON (raw body or multipart) as jobs, all or nothing, chunked, cancellable. */
describe('import (e2e)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
  });
  afterAll(async () => {
    await t?.close();
  });

  type Query = Record<string, string | boolean>;
  const post = (datasetId: string, body: string, contentType: string, query: Query = {}) =>
    http.post(`/api/datasets/${datasetId}/import`).query(query).set('Content-Type', contentType).send(body);

  /** Posts a file, expects 202 {jobId, datasetId, job}, and waits for the job's final state. */
  async function runImport(datasetId: string, body: string, contentType = 'text/csv', query: Query = {}, headers: Record<string, string> = {}) {
    const req = http.post(`/api/datasets/${datasetId}/import`).query(query).set('Content-Type', contentType);
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    const res = await req.send(body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ jobId: expect.any(String), datasetId });
    return waitForJob(http, res.body.jobId);
  }

  const byName = (items: any[]) => new Map(items.map((l) => [l.name, l]));
  const locationsOf = (datasetId: string) => allLocations(http, { datasetId });
  const stagedFiles = () => readdirSync(join(t.dataDir, 'tmp')).filter((n) => n.startsWith('import-'));

  describe('formats and columns', () => {
    it('imports a CSV raw body: 202 {jobId}, the job completes, properties are typed', async () => {
      const ds = await createDataset(http, { name: 'CSV typed' });
      const file = [
        'name,lat,lng,population,capital,note,code,ratio,flag',
        'Paris,48.8566,2.3522,2100000,true,,007,0.5,FALSE',
        'Lyon,45.76,4.84,513000,false,big city,69001,-1.25e2,x',
      ].join('\n');
      const job = await runImport(ds.id, file);
      expect(job).toMatchObject({ kind: 'import', state: 'completed', phase: 'done', error: null, cancellable: false });
      expect(job.result).toEqual({
        datasetId: ds.id,
        format: 'csv',
        rowsRead: 2,
        locationsWritten: 2,
        rowsSkipped: 0,
        duplicates: { skipped: 0, replaced: 0, renamed: 0 },
        errors: [],
        firstPosition: expect.any(Number),
        lastPosition: expect.any(Number),
      });
      // a restore point, one chunk, the summary
      expect(job.result.lastPosition).toBe(job.result.firstPosition + 2);

      const locations = byName(await locationsOf(ds.id));
      expect(locations.size).toBe(2);
      expect(locations.get('Paris')).toEqual({
        id: expect.any(String),
        datasetId: ds.id,
        name: 'Paris',
        latitude: 48.8566,
        longitude: 2.3522,
        properties: { population: 2100000, capital: true, note: null, code: '007', ratio: 0.5, flag: false },
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(locations.get('Lyon')!.properties).toEqual({ population: 513000, capital: false, note: 'big city', code: 69001, ratio: -125, flag: 'x' });

      const dataset = (await http.get(`/api/datasets/${ds.id}`)).body;
      expect(dataset.locationCount).toBe(2);
      expect(dataset.source).toEqual({ fileName: null, format: 'csv' });
      expect(stagedFiles()).toEqual([]);
    });

    it("reads the Globe app's header variants and names a location by its coordinates when no name column exists", async () => {
      const a = await createDataset(http, { name: 'Title/Qty' });
      expect((await runImport(a.id, 'Title,Latitude,Longitude,Qty\nEiffel Tower,48.8584,2.2945,12\n')).state).toBe('completed');
      expect(await locationsOf(a.id)).toEqual([
        expect.objectContaining({ name: 'Eiffel Tower', latitude: 48.8584, longitude: 2.2945, quantity: 12, properties: {} }),
      ]);

      const b = await createDataset(http, { name: 'country_name/lon' });
      expect((await runImport(b.id, 'country_name,lat,lon,iso\nFrance,46.2,2.2,FR\nJapan,36.2,138.25,JP\n')).state).toBe('completed');
      const countries = byName(await locationsOf(b.id));
      expect([...countries.keys()].sort()).toEqual(['France', 'Japan']);
      expect(countries.get('Japan')).toMatchObject({ latitude: 36.2, longitude: 138.25, properties: { iso: 'JP' } });
      expect(countries.get('Japan')).not.toHaveProperty('quantity');

      const c = await createDataset(http, { name: 'No name column' });
      expect((await runImport(c.id, 'LAT,LONG,pop\n10.5,20,3\n-33.9,151.2,\n')).state).toBe('completed');
      const unnamed = byName(await locationsOf(c.id));
      expect([...unnamed.keys()].sort()).toEqual(['-33.9, 151.2', '10.5, 20']);
      expect(unnamed.get('10.5, 20')).toMatchObject({ latitude: 10.5, longitude: 20, properties: { pop: 3 } });
      expect(unnamed.get('-33.9, 151.2')!.properties).toEqual({ pop: null });
    });

    it('imports JSON as a bare array, {locations: [...]} and {data: [...]}', async () => {
      const shapes: Array<[string, unknown]> = [
        ['bare', [{ name: 'A', lat: 1, lng: 2, kind: 'x' }, { name: 'B', latitude: '3', longitude: '4', quantity: '5' }]],
        ['locations', { locations: [{ name: 'A', lat: 1, lng: 2, kind: 'x' }, { name: 'B', latitude: 3, longitude: 4, quantity: 5 }] }],
        ['data', { data: [{ name: 'A', lat: 1, lng: 2, kind: 'x' }, { name: 'B', latitude: 3, longitude: 4, qty: 5 }] }],
      ];
      for (const [label, doc] of shapes) {
        const ds = await createDataset(http, { name: `JSON ${label}` });
        const job = await runImport(ds.id, JSON.stringify(doc), 'application/json');
        expect({ label, state: job.state, format: job.result?.format, written: job.result?.locationsWritten }).toEqual({
          label,
          state: 'completed',
          format: 'json',
          written: 2,
        });
        const locations = byName(await locationsOf(ds.id));
        expect(locations.get('A')).toMatchObject({ latitude: 1, longitude: 2, properties: { kind: 'x' } });
        expect(locations.get('A')).not.toHaveProperty('quantity');
        expect(locations.get('B')).toMatchObject({ latitude: 3, longitude: 4, quantity: 5, properties: {} });
        expect((await http.get(`/api/datasets/${ds.id}`)).body.source).toEqual({ fileName: null, format: 'json' });
      }
    });

    it('imports a Globe "Save Project" file keeping ids, timestamps and extra fields', async () => {
      const ds = await createDataset(http, { name: 'Saved project' });
      const project = {
        locations: [
          {
            id: 'loc_1',
            name: 'Paris',
            latitude: 48.85,
            longitude: 2.35,
            quantity: 5,
            created_at: '2024-01-01T00:00:00.000Z',
            updated_at: '2024-01-02T00:00:00.000Z',
            population: 2100000,
          },
        ],
        columnMapping: {},
        uiSettings: {},
        metadata: { timestamp: '2024-01-02T00:00:00.000Z', version: '1.0', recordCount: 1, appVersion: '1.0.0' },
      };
      const job = await runImport(ds.id, JSON.stringify(project), 'application/json');
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ format: 'json', rowsRead: 1, locationsWritten: 1 });
      const got = await http.get('/api/locations/loc_1');
      expect(got.status).toBe(200);
      expect(got.body).toEqual({
        id: 'loc_1',
        datasetId: ds.id,
        name: 'Paris',
        latitude: 48.85,
        longitude: 2.35,
        quantity: 5,
        properties: { population: 2100000 },
        created_at: '2024-01-01T00:00:00.000Z',
        updated_at: '2024-01-02T00:00:00.000Z',
      });
    });

    it('imports a GeoJSON FeatureCollection (application/geo+json) with coordinates as [lng, lat]', async () => {
      const ds = await createDataset(http, { name: 'GeoJSON' });
      const fc = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'geo-paris', geometry: { type: 'Point', coordinates: [2.3522, 48.8566] }, properties: { name: 'Paris', pop: 2100000 } },
          { type: 'Feature', geometry: { type: 'Point', coordinates: [-74.006, 40.7128] }, properties: { name: 'New York', quantity: 8 } },
        ],
      };
      const job = await runImport(ds.id, JSON.stringify(fc), 'application/geo+json');
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ format: 'geojson', rowsRead: 2, locationsWritten: 2 });
      const locations = byName(await locationsOf(ds.id));
      expect(locations.get('Paris')).toMatchObject({ id: 'geo-paris', latitude: 48.8566, longitude: 2.3522, properties: { pop: 2100000 } });
      expect(locations.get('New York')).toMatchObject({ latitude: 40.7128, longitude: -74.006, quantity: 8, properties: {} });
      expect((await http.get(`/api/datasets/${ds.id}`)).body.source).toEqual({ fileName: null, format: 'geojson' });
    });

    it('accepts a multipart upload and records its file name on the dataset source', async () => {
      const ds = await createDataset(http, { name: 'Multipart' });
      const res = await http.post(`/api/datasets/${ds.id}/import`).set('X-Source', 'api').attach('file', Buffer.from(csv(3)), 'cities.csv');
      expect(res.status).toBe(202);
      const job = await waitForJob(http, res.body.jobId);
      expect(job.state).toBe('completed');
      expect(job.params).toMatchObject({ datasetId: ds.id, fileName: 'cities.csv', format: 'csv' });
      expect(job.result).toMatchObject({ rowsRead: 3, locationsWritten: 3 });
      const dataset = (await http.get(`/api/datasets/${ds.id}`)).body;
      expect(dataset).toMatchObject({ locationCount: 3, source: { fileName: 'cities.csv', format: 'csv' } });
      expect((await locationsOf(ds.id)).map((l) => l.name).sort()).toEqual(['City 0', 'City 1', 'City 2']);
    });

    it('takes the file name from ?fileName= for a raw body', async () => {
      const ds = await createDataset(http, { name: 'Named raw' });
      expect((await runImport(ds.id, csv(1), 'text/csv', { fileName: 'export.csv' })).state).toBe('completed');
      expect((await http.get(`/api/datasets/${ds.id}`)).body.source).toEqual({ fileName: 'export.csv', format: 'csv' });
    });

    it('detects the format from the bytes or the file name when the content type says nothing', async () => {
      const fc = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [5, 6] }, properties: { name: 'g' } }] });
      const arrays = JSON.stringify([{ name: 'j', lat: 6, lng: 5 }]);
      const raw: Array<[string, string, string]> = [
        [arrays, 'application/octet-stream', 'json'],
        [fc, 'application/octet-stream', 'geojson'],
        [fc, 'application/json', 'geojson'],
        ['name,lat,lng\nc,6,5\n', 'application/octet-stream', 'csv'],
        ['name,lat,lng\nc,6,5\n', 'text/plain', 'csv'],
      ];
      for (const [body, type, format] of raw) {
        const ds = await createDataset(http, { name: `Detect ${format}` });
        const job = await runImport(ds.id, body, type, {}, { 'X-Source': 'api' });
        expect({ type, format: job.result?.format, state: job.state }).toEqual({ type, format, state: 'completed' });
        expect(await locationsOf(ds.id)).toEqual([expect.objectContaining({ latitude: 6, longitude: 5 })]);
      }
      const ds = await createDataset(http, { name: 'Detect by extension' });
      const res = await http
        .post(`/api/datasets/${ds.id}/import`)
        .set('X-Source', 'api')
        .attach('file', Buffer.from(fc), { filename: 'places.geojson', contentType: 'application/octet-stream' });
      expect(res.status).toBe(202);
      const job = await waitForJob(http, res.body.jobId);
      expect(job.result).toMatchObject({ format: 'geojson', locationsWritten: 1 });
      expect((await http.get(`/api/datasets/${ds.id}`)).body.source).toEqual({ fileName: 'places.geojson', format: 'geojson' });
    });
  });

  describe('invalid rows', () => {
    // Physical lines: the header is line 1; a quoted field spans lines 3-4; line 6 is empty.
    const file = [
      'name,lat,lng,qty', //                 1
      'Good,10,20,1', //                     2
      '"Multi', //                           3
      'line name",11,21,2', //               4
      'BadLat,91,20,1', //                   5
      '', //                                 6
      'BadLng,10,-181,1', //                 7
      'NotNum,abc,20,1', //                  8
      'Missing,,20,1', //                    9
      'BadQty,10,20,lots', //                10
      'Good2,12,22,3', //                    11
    ].join('\n');
    const expectedErrors = [
      { line: 5, code: 'ROW.INVALID_LATITUDE' },
      { line: 7, code: 'ROW.INVALID_LONGITUDE' },
      { line: 8, code: 'ROW.INVALID_LATITUDE' },
      { line: 9, code: 'ROW.MISSING_COORDINATES' },
      { line: 10, code: 'ROW.INVALID_QUANTITY' },
    ];

    it('with skipInvalidRows=false (the default) fails with IMPORT.INVALID_ROWS listing each bad line, and writes nothing', async () => {
      const ds = await createDataset(http, { name: 'All or nothing' });
      expect((await http.post(`/api/datasets/${ds.id}/locations`).send({ id: 'aon-seed', name: 'Seed', latitude: 0, longitude: 0 })).status).toBe(201);
      const auditBefore = await allAudit(http, { datasetId: ds.id });

      for (const query of [{}, { skipInvalidRows: 'false' }] as Query[]) {
        const job = await runImport(ds.id, file, 'text/csv', query);
        expect(job.state).toBe('failed');
        expect(job.result).toBeNull();
        expect(job.error.code).toBe('IMPORT.INVALID_ROWS');
        expect(job.error.details).toMatchObject({ invalidRows: 5, rowsRead: 8 });
        expect(job.error.details.errors.map((e: any) => ({ line: e.line, code: e.code }))).toEqual(expectedErrors);
        for (const e of job.error.details.errors) expect(e.reason).toEqual(expect.any(String));
        expect(job.error.details.errors[0].reason).toContain('91');
        expect(job.error.details.errors[1].reason).toContain('-181');

        // nothing written
        expect(await allAudit(http, { correlationId: job.id })).toEqual([]);
      }
      const dataset = (await http.get(`/api/datasets/${ds.id}`)).body;
      expect(dataset.locationCount).toBe(1);
      expect(dataset.source).toBeNull();
      expect((await locationsOf(ds.id)).map((l) => l.id)).toEqual(['aon-seed']);
      const auditAfter = await allAudit(http, { datasetId: ds.id });
      expect(auditAfter).toEqual(auditBefore);
      expect(auditAfter.filter((e) => e.type === 'LocationsAdded')).toHaveLength(1);
      expect(stagedFiles()).toEqual([]);
    });

    it('with skipInvalidRows=true imports the good rows and reports the skipped ones', async () => {
      const ds = await createDataset(http, { name: 'Skip invalid' });
      const job = await runImport(ds.id, file, 'text/csv', { skipInvalidRows: 'true' });
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ rowsRead: 8, locationsWritten: 3, rowsSkipped: 5 });
      expect(job.result.errors.map((e: any) => ({ line: e.line, code: e.code }))).toEqual(expectedErrors);
      const locations = byName(await locationsOf(ds.id));
      expect([...locations.keys()].sort()).toEqual(['Good', 'Good2', 'Multi\nline name']);
      expect(locations.get('Multi\nline name')).toMatchObject({ latitude: 11, longitude: 21, quantity: 2 });
      const imported = (await allAudit(http, { correlationId: job.id })).find((e) => e.type === 'DatasetImported');
      expect(imported.data).toMatchObject({ rowsRead: 8, locationsWritten: 3, rowsSkipped: 5 });
    });

    it('counts physical lines in a Windows (CRLF, BOM) file too, and reports JSON rows by their 1-based index', async () => {
      const ds = await createDataset(http, { name: 'Lines' });
      const crlf = '\uFEFFname,lat,lng\r\nA,1,2\r\n"multi\r\nline",3,4\r\nBad,99,1\r\n\r\nBad2,1,999\r\n';
      const job = await runImport(ds.id, crlf);
      expect(job.state).toBe('failed');
      expect(job.error.details.errors.map((e: any) => [e.line, e.code])).toEqual([
        [5, 'ROW.INVALID_LATITUDE'],
        [7, 'ROW.INVALID_LONGITUDE'],
      ]);

      const json = JSON.stringify([{ name: 'a', lat: 1, lng: 2 }, { name: 'b', lat: 100, lng: 2 }, { name: 'c' }]);
      const jsonJob = await runImport(ds.id, json, 'application/json');
      expect(jsonJob.state).toBe('failed');
      expect(jsonJob.error.details.errors.map((e: any) => [e.line, e.code])).toEqual([
        [2, 'ROW.INVALID_LATITUDE'],
        [3, 'ROW.MISSING_COORDINATES'],
      ]);
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(0);
    });

    it('reports a GeoJSON feature that is not a Point by its index', async () => {
      const ds = await createDataset(http, { name: 'Bad geometry' });
      const fc = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { name: 'ok' } },
          { type: 'Feature', geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, properties: { name: 'line' } },
        ],
      };
      const job = await runImport(ds.id, JSON.stringify(fc), 'application/geo+json');
      expect(job.state).toBe('failed');
      expect(job.error.code).toBe('IMPORT.INVALID_ROWS');
      expect(job.error.details.errors).toEqual([{ line: 2, code: 'ROW.INVALID_GEOMETRY', reason: expect.any(String) }]);
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(0);
    });

    it('fails a file it cannot parse with IMPORT.MALFORMED_FILE and writes nothing', async () => {
      const ds = await createDataset(http, { name: 'Malformed' });
      const job = await runImport(ds.id, '{"locations": [{"name": "a", "lat": 1, "lng": 2}, {"name": ', 'application/json');
      expect(job.state).toBe('failed');
      expect(job.error.code).toBe('IMPORT.MALFORMED_FILE');
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(0);
      expect(await allAudit(http, { correlationId: job.id })).toEqual([]);
    });
  });

  describe('duplicate ids', () => {
    /**
     * The dataset holds <p>-1 and <p>-2, another dataset holds <p>-3; the file repeats <p>-1 and
     * <p>-3 and brings <p>-new twice.
     */
    async function setUp(p: string) {
      const ds = await createDataset(http, { name: `Dups ${p}` });
      const other = await createDataset(http, { name: `Dups ${p} other` });
      for (const [datasetId, id, name] of [
        [ds.id, `${p}-1`, 'Orig 1'],
        [ds.id, `${p}-2`, 'Orig 2'],
        [other.id, `${p}-3`, 'Orig 3'],
      ]) {
        expect((await http.post(`/api/datasets/${datasetId}/locations`).send({ id, name, latitude: 0, longitude: 0 })).status).toBe(201);
      }
      const file = ['id,name,lat,lng', `${p}-1,New 1,1,1`, `${p}-3,New 3,3,3`, `${p}-new,Fresh,4,4`, `${p}-new,Fresh again,5,5`].join('\n');
      return { ds, other, file };
    }

    it('skip: keeps the existing locations and the first of a repeated id', async () => {
      const { ds, other, file } = await setUp('skip');
      const job = await runImport(ds.id, file, 'text/csv', { duplicateHandling: 'skip' });
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ rowsRead: 4, locationsWritten: 1, duplicates: { skipped: 3, replaced: 0, renamed: 0 } });
      const mine = await locationsOf(ds.id);
      expect(mine.map((l) => [l.id, l.name])).toEqual([
        ['skip-1', 'Orig 1'],
        ['skip-2', 'Orig 2'],
        ['skip-new', 'Fresh'],
      ]);
      expect((await locationsOf(other.id)).map((l) => [l.id, l.name])).toEqual([['skip-3', 'Orig 3']]);
    });

    it('skip is the default', async () => {
      const { ds, file } = await setUp('dflt');
      const job = await runImport(ds.id, file);
      expect(job.result).toMatchObject({ locationsWritten: 1, duplicates: { skipped: 3, replaced: 0, renamed: 0 } });
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(3);
    });

    it('replace: the imported record replaces the existing location (moving it into this dataset); the last repeat wins', async () => {
      const { ds, other, file } = await setUp('repl');
      const job = await runImport(ds.id, file, 'text/csv', { duplicateHandling: 'replace' });
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ rowsRead: 4, locationsWritten: 4, duplicates: { skipped: 0, replaced: 3, renamed: 0 } });
      const mine = await locationsOf(ds.id);
      expect(mine.map((l) => [l.id, l.name, l.latitude])).toEqual([
        ['repl-1', 'New 1', 1],
        ['repl-2', 'Orig 2', 0],
        ['repl-3', 'New 3', 3],
        ['repl-new', 'Fresh again', 5],
      ]);
      expect(await locationsOf(other.id)).toEqual([]);
      expect((await http.get(`/api/datasets/${other.id}`)).body.locationCount).toBe(0);
    });

    it('allow: every record is imported, duplicates under newly minted ids', async () => {
      const { ds, other, file } = await setUp('allow');
      const job = await runImport(ds.id, file, 'text/csv', { duplicateHandling: 'allow' });
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ rowsRead: 4, locationsWritten: 4, duplicates: { skipped: 0, replaced: 0, renamed: 3 } });
      const mine = await locationsOf(ds.id);
      expect(mine).toHaveLength(6);
      const ids = mine.map((l) => l.id);
      expect(new Set(ids).size).toBe(6);
      const named = byName(mine);
      expect(named.get('Orig 1')!.id).toBe('allow-1');
      expect(named.get('Fresh')!.id).toBe('allow-new');
      for (const name of ['New 1', 'New 3', 'Fresh again']) {
        expect(['allow-1', 'allow-2', 'allow-3', 'allow-new']).not.toContain(named.get(name)!.id);
      }
      expect((await locationsOf(other.id)).map((l) => [l.id, l.name])).toEqual([['allow-3', 'Orig 3']]);
    });
  });

  describe('refusals before a job exists', () => {
    const importJobCount = async () => (await http.get('/api/jobs').query({ kind: 'import', limit: 500 })).body.items.length;

    it('an unknown dataset is 404 DATASET.NOT_FOUND and starts no job', async () => {
      const before = await importJobCount();
      const res = await post('no-such-dataset', csv(2), 'text/csv');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('DATASET.NOT_FOUND');
      expect(res.body.jobId).toBeUndefined();
      expect(await importJobCount()).toBe(before);
      expect(stagedFiles()).toEqual([]);
    });

    it('an empty body is 400 IMPORT.EMPTY_FILE', async () => {
      const ds = await createDataset(http, { name: 'Empty' });
      const before = await importJobCount();
      for (const type of ['text/csv', 'application/json']) {
        const res = await post(ds.id, '', type);
        expect({ type, status: res.status, code: res.body.code }).toEqual({ type, status: 400, code: 'IMPORT.EMPTY_FILE' });
      }
      expect(await importJobCount()).toBe(before);
      expect(stagedFiles()).toEqual([]);
    });

    it('a multipart form without a file is 400 IMPORT.NO_FILE', async () => {
      const ds = await createDataset(http, { name: 'No file' });
      const before = await importJobCount();
      const res = await http.post(`/api/datasets/${ds.id}/import`).set('X-Source', 'api').field('note', 'no file here');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('IMPORT.NO_FILE');
      expect(await importJobCount()).toBe(before);
    });

    it('an upload over MAX_UPLOAD_BYTES is 413 IMPORT.TOO_LARGE, raw or multipart, and leaves nothing staged', async () => {
      const small = await startApp({ MAX_UPLOAD_BYTES: '2000' });
      try {
        const ds = await createDataset(small.http, { name: 'Too large' });
        const fits = await small.http.post(`/api/datasets/${ds.id}/import`).set('Content-Type', 'text/csv').send(csv(10));
        expect(fits.status).toBe(202);
        await waitForJob(small.http, fits.body.jobId);

        const raw = await small.http.post(`/api/datasets/${ds.id}/import`).set('Content-Type', 'text/csv').send(csv(200));
        expect(raw.status).toBe(413);
        expect(raw.body).toMatchObject({ code: 'IMPORT.TOO_LARGE', details: { maxBytes: 2000 } });
        const multipart = await small.http.post(`/api/datasets/${ds.id}/import`).set('X-Source', 'api').attach('file', Buffer.from(csv(200)), 'big.csv');
        expect(multipart.status).toBe(413);
        expect(multipart.body.code).toBe('IMPORT.TOO_LARGE');

        expect((await small.http.get('/api/jobs').query({ kind: 'import' })).body.items).toHaveLength(1);
        expect((await small.http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(10);
        expect(readdirSync(join(small.dataDir, 'tmp')).filter((n) => n.startsWith('import-'))).toEqual([]);
      } finally {
        await small.close();
      }
    });

    it('bad options are 400 IMPORT.INVALID_OPTIONS; an unsupported type is 400 IMPORT.UNSUPPORTED_FORMAT', async () => {
      const ds = await createDataset(http, { name: 'Options' });
      const before = await importJobCount();
      for (const query of [{ duplicateHandling: 'merge' }, { skipInvalidRows: 'maybe' }, { bogus: '1' }] as Query[]) {
        const res = await post(ds.id, csv(1), 'text/csv', query);
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'IMPORT.INVALID_OPTIONS' });
      }
      const png = await post(ds.id, 'not really a png', 'image/png');
      expect(png.status).toBe(400);
      expect(png.body.code).toBe('IMPORT.UNSUPPORTED_FORMAT');
      expect(await importJobCount()).toBe(before);
      expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(0);
    });
  });

  it('chunks a 5,000-row import into LocationsAdded events of ≤ 1000 plus one DatasetImported, all correlated to the job', async () => {
    const ds = await createDataset(http, { name: 'Chunked' });
    const job = await runImport(ds.id, csv(5000), 'text/csv', {}, { 'X-Actor': 'importer', 'X-Request-Id': 'req-chunked-1' });
    expect(job.state).toBe('completed');
    expect(job.actor).toBe('importer');
    expect(job.result).toMatchObject({ rowsRead: 5000, locationsWritten: 5000 });

    const events = await allAudit(http, { correlationId: job.id });
    expect(events.map((e) => e.type)).toEqual([
      'RestorePointCreated',
      'LocationsAdded',
      'LocationsAdded',
      'LocationsAdded',
      'LocationsAdded',
      'LocationsAdded',
      'DatasetImported',
    ]);
    const [point] = events;
    expect(point.data).toMatchObject({ automatic: true, position: job.result.firstPosition - 1, name: 'Before importing a CSV file' });
    const added = events.filter((e) => e.type === 'LocationsAdded');
    for (const e of added) expect(e.data.locations.length).toBeLessThanOrEqual(1000);
    expect(added.reduce((n, e) => n + e.data.locations.length, 0)).toBe(5000);
    expect(new Set(added.flatMap((e) => e.data.locations.map((l: any) => l.id))).size).toBe(5000);
    for (const e of events) {
      expect(e.stream).toBe(`dataset-${ds.id}`);
      expect(e.metadata).toEqual({ actor: 'importer', source: 'import', correlationId: job.id, causationId: 'req-chunked-1' });
    }
    // one atomic append: consecutive positions, the ones the job reports
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => job.result.firstPosition + i));
    expect(events[events.length - 1].position).toBe(job.result.lastPosition);
    expect(events[6].data).toEqual({
      datasetId: ds.id,
      importId: job.id,
      source: { fileName: null, format: 'csv' },
      rowsRead: 5000,
      locationsWritten: 5000,
      rowsSkipped: 0,
      duplicates: { skipped: 0, replaced: 0, renamed: 0 },
      updated_at: expect.any(String),
    });
    expect((await http.get(`/api/datasets/${ds.id}`)).body.locationCount).toBe(5000);
  });

  it('cancelling a big import either cancels it with nothing written or refuses (409) and lets it complete whole', async () => {
    const ds = await createDataset(http, { name: 'Cancelled' });
    const rows = 300_000;
    const started = await post(ds.id, csv(rows), 'text/csv');
    expect(started.status).toBe(202);
    const jobId = started.body.jobId;
    const cancel = await http.post(`/api/jobs/${jobId}/cancel`);
    expect([202, 409]).toContain(cancel.status);
    const job = await waitForJob(http, jobId, 55_000);
    const count = (await http.get(`/api/datasets/${ds.id}`)).body.locationCount;
    const events = await allAudit(http, { correlationId: jobId });

    if (cancel.status === 202) {
      expect(cancel.body).toMatchObject({ id: jobId, kind: 'import' });
      expect(job.state).toBe('cancelled');
      expect(job.error).toMatchObject({ code: 'JOB.CANCELLED' });
      expect(count).toBe(0);
      expect(events).toEqual([]);
      expect((await http.get('/api/locations').query({ datasetId: ds.id, limit: 1 })).body).toEqual({ items: [], next: null });
    } else {
      expect(cancel.body.code).toBe('JOB.NOT_CANCELLABLE');
      expect(job.state).toBe('completed');
      expect(count).toBe(rows);
      expect(events.filter((e) => e.type === 'DatasetImported')).toHaveLength(1);
    }
    // never a partial import
    expect([0, rows]).toContain(count);
    expect(stagedFiles()).toEqual([]);

    // a finished job cannot be cancelled
    const late = await http.post(`/api/jobs/${jobId}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('JOB.NOT_CANCELLABLE');
  });
});
