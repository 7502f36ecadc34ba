import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { TestApp, allLocations, startApp, waitForJob } from '../support/app-harness';
import { addLocation, everything, expectStatus, getJson, headPosition, momentBetween, patch } from './recovery-helpers';

/** What the live API answers now, with the log's head: the expected answer of `?at=` for this moment. */
async function liveView(http: TestApp['http']) {
  return { head: await headPosition(http), ...(await everything(http)) };
}

const countsOf = (view: Awaited<ReturnType<typeof liveView>>) => ({
  datasets: view.datasets.length,
  locations: view.locations.length,
  configurations: view.configurations.length,
});

describe('time travel: ?at= on the read endpoints and GET /api/state (e2e)', () => {
  let t: TestApp;
  const moments: { name: string; at: string; view: Awaited<ReturnType<typeof liveView>> }[] = [];
  let beforeEverything: string;
  let d1: any;
  let d2: any;

  beforeAll(async () => {
    t = await startApp();
    const http = t.http;
    beforeEverything = await momentBetween();

    // T1: a dataset with locations, a settings patch, a configuration
    d1 = (await http.post('/api/datasets').send({ name: 'Original name', color: '#123456' })).body;
    await addLocation(http, d1.id, { id: 'loc-1', name: 'First', latitude: 10, longitude: 20, quantity: 5, properties: { kind: 'a' } });
    await addLocation(http, d1.id, { id: 'loc-2', name: 'Second', latitude: -10, longitude: -20, properties: {} });
    await addLocation(http, d1.id, { id: 'loc-3', name: 'Third', latitude: 45.5, longitude: 120.25, properties: { n: 3 } });
    await patch(http, '/api/settings', { theme: 'dark' });
    expectStatus(await http.put('/api/configurations/cfg-1').send({ kind: 'camera-view', name: 'View', value: { lat: 1 } }), 200, 'PUT cfg-1');
    moments.push({ name: 'T1', at: await momentBetween(), view: await liveView(http) });

    // T2: the dataset renamed, a location edited and one removed
    await patch(http, `/api/datasets/${d1.id}`, { name: 'Renamed' });
    await patch(http, '/api/locations/loc-1', { name: 'First (edited)', quantity: null });
    expectStatus(await http.delete('/api/locations/loc-2'), 204, 'DELETE loc-2');
    moments.push({ name: 'T2', at: await momentBetween(), view: await liveView(http) });

    // T3: a second dataset, the first deleted, the settings and configurations changed
    d2 = (await http.post('/api/datasets').send({ name: 'Second dataset' })).body;
    await addLocation(http, d2.id, { id: 'loc-4', name: 'Fourth', latitude: 0, longitude: 0, properties: {} });
    expectStatus(await http.delete(`/api/datasets/${d1.id}`), 204, 'DELETE d1');
    await patch(http, '/api/settings', { theme: 'light', autoRotate: false, rotationSpeed: 4 });
    expectStatus(await http.put('/api/configurations/cfg-1').send({ kind: 'camera-view', name: 'View', value: { lat: 2 } }), 200, 'PUT cfg-1');
    expectStatus(await http.put('/api/configurations/cfg-2').send({ kind: 'filter', name: 'Filter', value: { q: 'x' } }), 200, 'PUT cfg-2');
    moments.push({ name: 'T3', at: await momentBetween(), view: await liveView(http) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the history is what the tests below rely on (each moment differs from the next)', () => {
    const [m1, m2, m3] = moments.map((m) => m.view);
    expect(m1.datasets.map((d) => [d.name, d.locationCount])).toEqual([['Original name', 3]]);
    expect(m2.datasets.map((d) => [d.name, d.locationCount])).toEqual([['Renamed', 2]]);
    expect(m3.datasets.map((d) => [d.name, d.locationCount])).toEqual([['Second dataset', 1]]);
    expect([m1.settings.theme, m2.settings.theme, m3.settings.theme]).toEqual(['dark', 'dark', 'light']);
    expect(m1.head).toBeLessThan(m2.head);
    expect(m2.head).toBeLessThan(m3.head);
  });

  it.each([
    ['T1', 0],
    ['T2', 1],
    ['T3', 2],
  ])('GET /api/locations, /datasets, /settings, /configurations ?at=%s answer what the live API answered then', async (_name, i) => {
    const { at, view } = moments[i];
    const { head: _head, ...expected } = view;
    expect(await everything(t.http, at)).toEqual(expected);
  });

  it('answers as of before a rename, before a delete and before a settings patch', async () => {
    const http = t.http;
    const [m1, m2] = moments;
    // before the rename
    expect((await getJson(http, '/api/datasets', { at: m1.at })).items.map((d: any) => d.name)).toEqual(['Original name']);
    // before the delete of loc-2 and of the dataset
    const locsAtT1 = await getJson(http, '/api/locations', { at: m1.at, datasetId: d1.id });
    expect(locsAtT1.items.map((l: any) => [l.id, l.name, l.quantity])).toEqual([
      ['loc-1', 'First', 5],
      ['loc-2', 'Second', undefined],
      ['loc-3', 'Third', undefined],
    ]);
    expect((await getJson(http, '/api/locations', { at: m2.at, datasetId: d1.id })).items.map((l: any) => l.id)).toEqual(['loc-1', 'loc-3']);
    expect(await getJson(http, '/api/locations', { datasetId: d1.id })).toEqual({ items: [], next: null });
    // the same moment written with a UTC offset is the same moment
    const shifted = new Date(Date.parse(m1.at) + 330 * 60_000).toISOString().replace('Z', '+05:30');
    expect(Date.parse(shifted)).toBe(Date.parse(m1.at));
    expect(await getJson(http, '/api/datasets', { at: shifted })).toEqual(await getJson(http, '/api/datasets', { at: m1.at }));
    // before the settings patch
    expect(await getJson(http, '/api/settings', { at: m2.at })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(await getJson(http, '/api/settings')).toEqual({ ...DEFAULT_SETTINGS, theme: 'light', autoRotate: false, rotationSpeed: 4 });
    // configurations: cfg-1's old value, no cfg-2 yet; filters apply to the past state too
    expect((await getJson(http, '/api/configurations', { at: m2.at })).items.map((c: any) => [c.id, c.value])).toEqual([['cfg-1', { lat: 1 }]]);
    expect((await getJson(http, '/api/configurations', { at: m2.at, kind: 'filter' })).items).toEqual([]);
  });

  it('pages through the past with the same cursors as the present (limit 1)', async () => {
    const m1 = moments[0];
    const paged = await allLocations(t.http, { at: m1.at }, 1);
    expect(paged).toEqual(m1.view.locations);
    const filtered = await getJson(t.http, '/api/locations', { at: m1.at, q: 'thir' });
    expect(filtered.items.map((l: any) => l.id)).toEqual(['loc-3']);
  });

  it('before the first event everything is empty, and GET /api/state says position 0', async () => {
    const http = t.http;
    expect(await everything(http, beforeEverything)).toEqual({ datasets: [], locations: [], settings: DEFAULT_SETTINGS, configurations: [] });
    const state = await getJson(http, '/api/state', { at: beforeEverything });
    expect(state).toMatchObject({ at: beforeEverything, position: 0, counts: { datasets: 0, locations: 0, configurations: 0 }, replayedEvents: 0 });
    expect(state.head).toBe(await headPosition(http));
    // long before, too
    expect((await getJson(http, '/api/datasets', { at: '1999-01-01T00:00:00Z' })).items).toEqual([]);
  });

  it('GET /api/state?at= and ?position= give the position of the moment and its counts', async () => {
    const http = t.http;
    const head = await headPosition(http);
    for (const m of moments) {
      const byTime = await getJson(http, '/api/state', { at: m.at });
      expect(byTime).toMatchObject({ at: m.at, position: m.view.head, head, counts: countsOf(m.view) });
      const byPosition = await getJson(http, '/api/state', { position: m.view.head });
      expect(byPosition).toMatchObject({ at: null, position: m.view.head, head, counts: countsOf(m.view) });
    }
    const now = await getJson(http, '/api/state');
    expect(now).toMatchObject({ at: null, position: head, head, counts: countsOf(moments[2].view) });
    // an `at` in the future is the head
    expect(await getJson(http, '/api/state', { at: '2999-01-01T00:00:00.000Z' })).toMatchObject({ position: head, head });
  });

  it('`at` includes the events recorded at that millisecond and excludes those after it', async () => {
    const http = t.http;
    const log = (await getJson(http, '/api/audit', { order: 'asc', limit: 1000 })).items as any[];
    const lastAtOrBefore = (ms: number) => Math.max(0, ...log.filter((e) => Date.parse(e.recordedAt) <= ms).map((e) => e.position));
    const rename = log.find((e) => e.type === 'DatasetUpdated');
    const deletion = log.find((e) => e.type === 'DatasetDeleted');
    for (const event of [log[0], rename, deletion]) {
      const r = Date.parse(event.recordedAt);
      const atR = await getJson(http, '/api/state', { at: event.recordedAt });
      expect(atR.position).toBe(lastAtOrBefore(r));
      expect(atR.position).toBeGreaterThanOrEqual(event.position);
      const justBefore = await getJson(http, '/api/state', { at: new Date(r - 1).toISOString() });
      expect(justBefore.position).toBe(lastAtOrBefore(r - 1));
      expect(justBefore.position).toBeLessThan(event.position);
    }
    expect((await getJson(http, '/api/datasets', { at: new Date(Date.parse(rename.recordedAt) - 1).toISOString() })).items.map((d: any) => d.name)).toEqual(['Original name']);
    expect((await getJson(http, '/api/datasets', { at: rename.recordedAt })).items.map((d: any) => d.name)).toEqual(['Renamed']);
  });

  it.each([
    ['/api/locations'],
    ['/api/datasets'],
    ['/api/settings'],
    ['/api/configurations'],
    ['/api/state'],
  ])('%s refuses a bad `at` with 400 QUERY.INVALID', async (url) => {
    for (const bad of ['yesterday', '2026-13-45T00:00:00Z', '1700000000000', '2026-01-01', '']) {
      const res = await t.http.get(url).query({ at: bad });
      expect({ url, bad, status: res.status, code: res.body.code }).toEqual({ url, bad, status: 400, code: 'QUERY.INVALID' });
    }
  });

  it('works the same with a snapshot: before it (replay from empty) and after it (replay from the snapshot)', async () => {
    const http = t.http;
    const snap = await http.post('/api/snapshots');
    expectStatus(snap, 202, 'POST /api/snapshots');
    expect(Object.keys(snap.body)).toEqual(['jobId']);
    const job = await waitForJob(http, snap.body.jobId);
    expect({ state: job.state, kind: job.kind }).toEqual({ state: 'completed', kind: 'snapshot' });
    const snapshotHead = await headPosition(http);
    expect(job.result).toMatchObject({ position: snapshotHead, reason: 'manual', status: 'valid', counts: countsOf(moments[2].view) });
    const listed = (await getJson(http, '/api/snapshots')).items;
    expect(listed.map((s: any) => s.id)).toContain(job.result.id);

    // T4: after the snapshot
    await addLocation(http, d2.id, { id: 'loc-5', name: 'Fifth', latitude: 5, longitude: 5, properties: { after: 'snapshot' } });
    await patch(http, '/api/locations/loc-4', { name: 'Fourth (after snapshot)' });
    await patch(http, '/api/settings', { globeStyle: 'night' });
    const t4 = { at: await momentBetween(), view: await liveView(http) };
    await patch(http, '/api/settings', { globeStyle: 'political' });
    await addLocation(http, d2.id, { id: 'loc-6', name: 'Sixth', latitude: 6, longitude: 6, properties: {} });

    // the newest valid snapshot at or before a position is where replay starts
    const snapshots = (await getJson(http, '/api/snapshots')).items.filter((s: any) => s.status === 'valid');
    const startOf = (position: number) => Math.max(0, ...snapshots.filter((s: any) => s.position <= position).map((s: any) => s.position));

    // after the snapshot: from the snapshot, replaying only what followed it
    const after = await getJson(http, '/api/state', { at: t4.at });
    expect(startOf(t4.view.head)).toBe(snapshotHead);
    expect(after).toMatchObject({ position: t4.view.head, snapshotPosition: snapshotHead, replayedEvents: t4.view.head - snapshotHead, counts: countsOf(t4.view) });
    const { head: _h4, ...expected4 } = t4.view;
    expect(await everything(http, t4.at)).toEqual(expected4);

    // exactly at a snapshot: nothing to replay (a second snapshot, at a position no read has asked for yet:
    // states are cached per position, and a cached one keeps saying how it was built)
    const second = await http.post('/api/snapshots');
    expectStatus(second, 202, 'POST /api/snapshots');
    const secondJob = await waitForJob(http, second.body.jobId);
    const secondHead = await headPosition(http);
    expect(secondJob).toMatchObject({ state: 'completed', result: { position: secondHead, counts: { datasets: 1, locations: 3, configurations: 2 } } });
    expect(await getJson(http, '/api/state', { position: secondHead })).toMatchObject({
      position: secondHead,
      snapshotPosition: secondHead,
      replayedEvents: 0,
      counts: { datasets: 1, locations: 3, configurations: 2 },
    });
    expect((await getJson(http, '/api/locations', { at: new Date().toISOString() })).items).toEqual((await getJson(http, '/api/locations')).items);

    // before the snapshot (a position not asked for yet): from the empty state, replaying from position 1
    const beforePosition = moments[1].view.head + 1;
    expect(startOf(beforePosition)).toBe(0);
    expect(await getJson(http, '/api/state', { position: beforePosition })).toMatchObject({ position: beforePosition, snapshotPosition: 0, replayedEvents: beforePosition });
    for (const m of moments) {
      const { head: _h, ...expected } = m.view;
      expect(await everything(http, m.at)).toEqual(expected);
    }
  });
});
