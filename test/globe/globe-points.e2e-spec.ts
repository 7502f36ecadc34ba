import type { Response } from 'supertest';
import { decodeGlobePoints, GlobePoints } from '../../clients/globe-vault-client/globe-points';
import { Http, TestApp, allLocations, createDataset, csv, startApp, waitForJob } from '../support/app-harness';
import { backupNow } from '../backups/backup-helpers';
import { addLocation, momentBetween } from '../recovery/recovery-helpers';

/**
 * GET /api/globe/points, the globe's compact read: its points are exactly the locations
 * GET /api/locations answers (id, dataset, latitude, longitude, quantity) for the live state, a past
 * one and a backup's, in both forms; the binary form decodes with the typed client's decoder; the
 * entity tag lets a repeat request be answered 304 until the state changes.
 */

/** supertest: the body as raw bytes, whatever its type. */
const raw = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function binaryPoints(http: Http, query: Record<string, string> = {}): Promise<{ res: Response; points: GlobePoints }> {
  const res = await http.get('/api/globe/points').query({ format: 'binary', ...query }).buffer(true).parse(raw);
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 200, type: 'application/vnd.globe-vault.points' });
  const body = res.body as Buffer;
  return { res, points: decodeGlobePoints(body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer) };
}

type Point = { id: string; datasetId: string; latitude: number; longitude: number; quantity: number | null; updated_at?: string };

/** The decoded columns as one record per point, each with the dataset its slice belongs to, sorted by id. */
function pointsOf(p: { datasets: { id: string; count: number }[]; ids: string[]; latitude: ArrayLike<number>; longitude: ArrayLike<number>; quantity: ArrayLike<number | null>; updatedAt?: string[] }): Point[] {
  const out: Point[] = [];
  let i = 0;
  for (const dataset of p.datasets) {
    for (const end = i + dataset.count; i < end; i++) {
      const q = p.quantity[i];
      out.push({ id: p.ids[i], datasetId: dataset.id, latitude: p.latitude[i], longitude: p.longitude[i], quantity: q === null || Number.isNaN(q) ? null : q, ...(p.updatedAt ? { updated_at: p.updatedAt[i] } : {}) });
    }
  }
  expect(i).toBe(p.ids.length);
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** What GET /api/locations answers, reduced to what the globe draws. */
async function expectedPoints(http: Http, query: Record<string, string> = {}, withUpdatedAt = false): Promise<Point[]> {
  return (await allLocations(http, query, 10_000))
    .map((l) => ({ id: l.id, datasetId: l.datasetId, latitude: l.latitude, longitude: l.longitude, quantity: l.quantity ?? null, ...(withUpdatedAt ? { updated_at: l.updated_at } : {}) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('GET /api/globe/points (e2e)', () => {
  let t: TestApp;
  let http: Http;
  let before: string;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
    const cities = await createDataset(http, { name: 'Cities' });
    const imported = await http.post(`/api/datasets/${cities.id}/import`).query({ fileName: 'cities.csv' }).set('Content-Type', 'text/csv').send(csv(1500));
    expect((await waitForJob(http, imported.body.jobId, 60_000)).state).toBe('completed');
    const odd = await createDataset(http, { name: 'Odd ids' });
    await addLocation(http, odd.id, { id: 'Zürich–ü 東京 🌍', name: 'Non-ASCII id', latitude: 47.37689, longitude: 8.541694, quantity: -2.5, properties: {} });
    await addLocation(http, odd.id, { id: 'no-quantity', name: 'No quantity', latitude: -89.999999, longitude: 179.9999999, properties: {} });
    before = await momentBetween();
    await addLocation(http, odd.id, { id: 'later', name: 'Added after the moment', latitude: 0.1, longitude: -0.1, quantity: 0, properties: {} });
  }, 120_000);
  afterAll(() => t?.close());

  it('answers the live locations: the binary form decodes to exactly what GET /api/locations holds, grouped by dataset', async () => {
    const { res, points } = await binaryPoints(http);
    const expected = await expectedPoints(http);
    expect(expected).toHaveLength(1503);
    expect(pointsOf(points)).toEqual(expected);
    expect(points.datasets.map((d) => d.count).sort((a, b) => a - b)).toEqual([3, 1500]);
    const state = (await http.get('/api/state').expect(200)).body;
    expect(points.position).toBe(state.position);
    expect(res.headers['x-position']).toBe(String(state.position));
    expect(res.headers['etag']).toMatch(new RegExp(`^"p${state.position}\\.`));
  });

  it('answers the same columns as JSON arrays (a missing quantity is null)', async () => {
    const res = await http.get('/api/globe/points').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(pointsOf(res.body)).toEqual(await expectedPoints(http));
    expect(res.body.quantity).toContain(null);
  });

  it('adds updated_at when asked (fields=updated_at)', async () => {
    const { points } = await binaryPoints(http, { fields: 'updated_at' });
    expect(pointsOf(points)).toEqual(await expectedPoints(http, {}, true));
  });

  it('answers a past state (at) and a backup (backupId) as GET /api/locations does', async () => {
    const past = await binaryPoints(http, { at: before });
    expect(pointsOf(past.points)).toEqual(await expectedPoints(http, { at: before }));
    expect(past.points.ids).not.toContain('later');
    const { backupId } = await backupNow(http);
    await http.delete('/api/locations/later').expect(204);
    const backup = await binaryPoints(http, { backupId });
    expect(backup.points.ids).toContain('later');
    expect(pointsOf(backup.points)).toEqual(await expectedPoints(http, { backupId }));
  });

  it('answers 304 to its own entity tag until the state changes, then the new points under a new tag', async () => {
    const first = await binaryPoints(http);
    const tag = first.res.headers['etag'];
    const again = await http.get('/api/globe/points').query({ format: 'binary' }).set('If-None-Match', tag);
    expect({ status: again.status, etag: again.headers['etag'], length: again.text ?? '' }).toEqual({ status: 304, etag: tag, length: '' });
    // another form of the same state is another representation: not answered by this tag
    expect((await http.get('/api/globe/points').set('If-None-Match', tag)).status).toBe(200);

    await addLocation(http, first.points.datasets[0].id, { id: 'newest', name: 'Newest', latitude: 1, longitude: 2, properties: {} });
    const changed = await http.get('/api/globe/points').query({ format: 'binary' }).set('If-None-Match', tag).buffer(true).parse(raw);
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(tag);
    const { points } = await binaryPoints(http);
    expect(points.ids).toContain('newest');
    expect(pointsOf(points)).toEqual(await expectedPoints(http));
  });

  it('refuses a bad query with a 400 and a stable code', async () => {
    for (const query of [{ format: 'xml' }, { fields: 'name' }, { at: 'yesterday' }, { at: new Date().toISOString(), backupId: 'x' }, { limit: '10' }]) {
      const res = await http.get('/api/globe/points').query(query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'QUERY.INVALID' });
    }
    expect((await http.get('/api/globe/points').query({ backupId: 'no-such-backup' })).status).toBe(404);
  });
});
