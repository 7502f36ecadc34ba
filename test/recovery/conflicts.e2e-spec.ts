import { Http, TestApp, allAudit, startApp, waitForJob } from '../support/app-harness';
import {
  addLocation,
  auditCount,
  byId,
  counts,
  everything,
  expectStatus,
  getJson,
  headPosition,
  momentBetween,
  patch,
  preview,
  restore,
} from './recovery-helpers';

/**
 * One history with every kind of difference between now and a moment T, for one dataset D:
 *  - loc-1 edited after T (the current version is the newer one),
 *  - loc-2 replaced after T by an import whose row carries an OLD updated_at (the target is newer),
 *  - loc-3 deleted after T (the restore adds it back), loc-4 added after T (the restore removes it),
 *  - D itself changed after T by that import (source, updated_at): a dataset conflict, current newer,
 *  - settings changed after T (theme, rotationSpeed), cfg-1 deleted and cfg-2 saved after T.
 */
async function history(http: Http) {
  const d = (await http.post('/api/datasets').send({ name: 'Conflicts', description: 'd' })).body;
  await addLocation(http, d.id, { id: 'loc-1', name: 'One', latitude: 10, longitude: 10, quantity: 1, properties: { v: 1 } });
  await addLocation(http, d.id, { id: 'loc-2', name: 'Two', latitude: 20, longitude: 20, properties: { v: 2 } });
  await addLocation(http, d.id, { id: 'loc-3', name: 'Three', latitude: 30, longitude: 30, properties: { v: 3 } });
  await patch(http, '/api/settings', { theme: 'dark' });
  expectStatus(await http.put('/api/configurations/cfg-1').send({ kind: 'camera-view', name: 'Cam', value: { lat: 1 } }), 200, 'PUT cfg-1');
  const atT = { ...(await everything(http)), dataset: await getJson(http, `/api/datasets/${d.id}`) };

  const T = await momentBetween();

  await patch(http, '/api/locations/loc-1', { name: 'One (current)', quantity: 99 });
  const replaced = await http
    .post(`/api/datasets/${d.id}/import`)
    .query({ duplicateHandling: 'replace', fileName: 'old-copy.csv' })
    .set('Content-Type', 'text/csv')
    .send('id,name,lat,lng,created_at,updated_at\nloc-2,Two (old copy),21,22,2019-06-01T00:00:00.000Z,2020-01-01T00:00:00.000Z\n');
  expectStatus(replaced, 202, 'import');
  expect((await waitForJob(http, replaced.body.jobId)).state).toBe('completed');
  expectStatus(await http.delete('/api/locations/loc-3'), 204, 'DELETE loc-3');
  await addLocation(http, d.id, { id: 'loc-4', name: 'Four', latitude: 40, longitude: 40, properties: {} });
  await patch(http, '/api/settings', { theme: 'light', rotationSpeed: 4 });
  expectStatus(await http.delete('/api/configurations/cfg-1'), 204, 'DELETE cfg-1');
  expectStatus(await http.put('/api/configurations/cfg-2').send({ kind: 'filter', name: 'Filter', value: { q: 1 } }), 200, 'PUT cfg-2');

  const current = { ...(await everything(http)), dataset: await getJson(http, `/api/datasets/${d.id}`) };
  const loc = (view: typeof atT, id: string) => view.locations.find((l) => l.id === id);
  // the history is what the tests rely on
  expect(loc(current, 'loc-1')!.updated_at > loc(atT, 'loc-1')!.updated_at).toBe(true);
  expect(loc(current, 'loc-2')).toMatchObject({ name: 'Two (old copy)', updated_at: '2020-01-01T00:00:00.000Z' });
  expect(loc(current, 'loc-2')!.updated_at < loc(atT, 'loc-2')!.updated_at).toBe(true);
  expect(current.dataset.source).toEqual({ fileName: 'old-copy.csv', format: 'csv' });
  expect(atT.dataset.source).toBeNull();
  return { d, T, atT, current, loc, head: await headPosition(http) };
}

type History = Awaited<ReturnType<typeof history>>;
const withoutCount = ({ locationCount: _n, ...dataset }: any) => dataset;

/** The locations of D a restore should leave, given which version each conflicting location takes. */
function expectedLocations(h: History, take: { 'loc-1': 'target' | 'current'; 'loc-2': 'target' | 'current' }) {
  return byId([
    take['loc-1'] === 'target' ? h.loc(h.atT, 'loc-1') : h.loc(h.current, 'loc-1'),
    take['loc-2'] === 'target' ? h.loc(h.atT, 'loc-2') : h.loc(h.current, 'loc-2'),
    h.loc(h.atT, 'loc-3'), // deleted after T: back, whatever the strategy
    // loc-4, added after T: removed, whatever the strategy
  ]);
}

describe('restore previews, staleness, tokens, conflict strategies, scopes, restore points (e2e)', () => {
  let t: TestApp;
  let http: Http;
  let h: History;

  beforeEach(async () => {
    t = await startApp();
    http = t.http;
    h = await history(http);
  });
  afterEach(async () => {
    await t?.close();
  });

  const previewD = () => preview(http, { target: { at: h.T }, scope: { datasets: [h.d.id] } });

  it('a preview lists the differences and the conflicts exactly, and writes nothing', async () => {
    const before = await auditCount(http);
    const pv = await previewD();
    expect(pv.basePosition).toBe(h.head);
    expect(pv.counts).toEqual(counts({ datasets: { changed: 1 }, locations: { added: 1, changed: 2, removed: 1 } }));
    expect(pv.conflicts.count).toBe(3);
    const items = [...pv.conflicts.items].sort((a: any, b: any) => (a.key < b.key ? -1 : 1));
    expect(items).toEqual([
      { key: `dataset:${h.d.id}`, kind: 'dataset', id: h.d.id, current: withoutCount(h.current.dataset), target: withoutCount(h.atT.dataset) },
      { key: 'location:loc-1', kind: 'location', id: 'loc-1', current: h.loc(h.current, 'loc-1'), target: h.loc(h.atT, 'loc-1') },
      { key: 'location:loc-2', kind: 'location', id: 'loc-2', current: h.loc(h.current, 'loc-2'), target: h.loc(h.atT, 'loc-2') },
    ]);
    expect(pv.samples.locations.added).toEqual([h.loc(h.atT, 'loc-3')]);
    expect(pv.samples.locations.removed).toEqual([h.loc(h.current, 'loc-4')]);

    // more previews, of other targets and scopes: still nothing written, nothing started
    await preview(http, { target: { at: h.T } });
    await preview(http, { target: { position: 1 }, scope: { settings: true } });
    await preview(http, { target: { at: h.T }, scope: { configurations: true } });
    expect(await auditCount(http)).toBe(before);
    expect(await headPosition(http)).toBe(h.head);
    expect((await getJson(http, '/api/restores')).items).toEqual([]);
    expect((await getJson(http, '/api/jobs', { kind: 'restore' })).items).toEqual([]);
    expect((await getJson(http, '/api/snapshots')).items).toEqual([]);
    const { dataset: _d, ...now } = h.current;
    expect(await everything(http)).toEqual(now);
  });

  it('counts every conflict but lists at most 200 (and samples 10)', async () => {
    const rows = (name: string) => ['id,name,lat,lng', ...Array.from({ length: 250 }, (_, i) => `c-${i},${name} ${i},${i % 90},${i % 180}`)].join('\n') + '\n';
    const first = await http.post(`/api/datasets/${h.d.id}/import`).query({ fileName: 'many.csv' }).set('Content-Type', 'text/csv').send(rows('Before'));
    expect((await waitForJob(http, first.body.jobId)).state).toBe('completed');
    const T2 = await momentBetween();
    const second = await http
      .post(`/api/datasets/${h.d.id}/import`)
      .query({ fileName: 'many-again.csv', duplicateHandling: 'replace' })
      .set('Content-Type', 'text/csv')
      .send(rows('After'));
    expect((await waitForJob(http, second.body.jobId)).state).toBe('completed');
    const pv = await preview(http, { target: { at: T2 }, scope: { datasets: [h.d.id] } });
    expect(pv.counts).toEqual(counts({ datasets: { changed: 1 }, locations: { changed: 250 } }));
    expect(pv.conflicts.count).toBe(251);
    expect(pv.conflicts.items).toHaveLength(200);
    expect(new Set(pv.conflicts.items.map((c: any) => c.key)).size).toBe(200);
    expect(pv.conflicts.items[0].key).toBe(`dataset:${h.d.id}`);
    for (const c of pv.conflicts.items.slice(1)) {
      expect(c).toMatchObject({ kind: 'location', current: { name: `After ${c.id.slice(2)}` }, target: { name: `Before ${c.id.slice(2)}` } });
    }
    expect(pv.samples.locations.changed).toHaveLength(10);
  });

  it('refuses targets it cannot resolve: a position past the head, an unknown restore point, a bad body', async () => {
    const future = await http.post('/api/restores/preview').send({ target: { position: h.head + 1 } });
    expect({ status: future.status, code: future.body.code }).toEqual({ status: 400, code: 'RESTORE.TARGET_IN_FUTURE' });
    const point = await http.post('/api/restores/preview').send({ target: { restorePointId: 'nope' } });
    expect({ status: point.status, code: point.body.code }).toEqual({ status: 404, code: 'RESTORE_POINT.NOT_FOUND' });
    for (const body of [{}, { target: {} }, { target: { at: 'yesterday' } }, { target: { at: h.T }, scope: { datasets: [] , extra: 1 } }, { target: { at: h.T }, extra: 1 }]) {
      const res = await http.post('/api/restores/preview').send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'RESTORE.INVALID_INPUT' });
    }
    const undoUnknown = await http.post('/api/restores/no-such-restore/undo');
    expect({ status: undoUnknown.status, code: undoUnknown.body.code }).toEqual({ status: 404, code: 'RESTORE.NOT_FOUND' });
    expect(await headPosition(http)).toBe(h.head);
  });

  it('a write after the preview makes the restore 409 RESTORE.PREVIEW_STALE, and nothing is written', async () => {
    const pv = await previewD();
    // a PATCH that changes nothing writes nothing: the preview is still good ...
    await patch(http, '/api/locations/loc-1', { name: 'One (current)' });
    expect(await headPosition(http)).toBe(h.head);
    // ... one that changes something is a write
    await patch(http, '/api/locations/loc-4', { name: 'Four (later)' });
    const before = await auditCount(http);
    const res = await http.post('/api/restores').send({ previewToken: pv.previewToken });
    expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({
      status: 409,
      code: 'RESTORE.PREVIEW_STALE',
      details: { basePosition: h.head, head: h.head + 1 },
    });
    expect(await auditCount(http)).toBe(before);
    expect((await getJson(http, '/api/restores')).items).toEqual([]);
    expect((await getJson(http, '/api/jobs', { kind: 'restore' })).items).toEqual([]);
    expect((await getJson(http, '/api/locations/loc-4')).name).toBe('Four (later)');
    // a fresh preview of the same target is accepted
    const again = await previewD();
    expect(again.basePosition).toBe(h.head + 1);
    await restore(http, { previewToken: again.previewToken });
    expect(await http.get('/api/locations/loc-4').then((r) => r.status)).toBe(404);
  });

  it('refuses a tampered, foreign or malformed token with 400 RESTORE.INVALID_PREVIEW_TOKEN, and bad options with 400 RESTORE.INVALID_INPUT', async () => {
    const pv = await previewD();
    const [body, mac] = pv.previewToken.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ v: 1, position: pv.position, basePosition: h.head, scope: { datasets: [h.d.id] } });
    const widened = Buffer.from(JSON.stringify({ ...claims, scope: {} })).toString('base64url');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const other = await startApp();
    let foreign: string;
    try {
      await other.http.post('/api/datasets').send({ name: 'elsewhere' });
      foreign = (await preview(other.http, { target: { position: 0 } })).previewToken;
    } finally {
      await other.close();
    }
    for (const token of [`${widened}.${mac}`, `${body}.${flip(mac)}`, `${flip(body)}.${mac}`, body, 'not-a-token', `.${mac}`, `${body}.`, foreign!]) {
      const res = await http.post('/api/restores').send({ previewToken: token });
      expect({ token, status: res.status, code: res.body.code }).toEqual({ token, status: 400, code: 'RESTORE.INVALID_PREVIEW_TOKEN' });
    }
    for (const bad of [
      { previewToken: pv.previewToken, strategy: 'mine-wins' },
      { previewToken: pv.previewToken, overrides: { 'loc-1': 'current' } },
      { previewToken: pv.previewToken, overrides: { 'location:loc-1': 'both' } },
      { previewToken: '' },
      { previewToken: pv.previewToken, extra: true },
    ]) {
      const res = await http.post('/api/restores').send(bad);
      expect({ bad, status: res.status, code: res.body.code }).toEqual({ bad, status: 400, code: 'RESTORE.INVALID_INPUT' });
    }
    expect(await headPosition(http)).toBe(h.head);
    expect((await getJson(http, '/api/restores')).items).toEqual([]);
  });

  it('refuses a token with anything appended after its signature (400 RESTORE.INVALID_PREVIEW_TOKEN)', async () => {
    const pv = await previewD();
    for (const token of [`${pv.previewToken}.x`, `${pv.previewToken}.${pv.previewToken}`]) {
      const res = await http.post('/api/restores').send({ previewToken: token });
      // (if it was wrongly accepted, let its job end before the app closes)
      if (res.status === 202) await waitForJob(http, res.body.jobId);
      expect({ token, status: res.status, code: res.body.code }).toEqual({ token, status: 400, code: 'RESTORE.INVALID_PREVIEW_TOKEN' });
    }
    expect(await headPosition(http)).toBe(h.head);
  });

  describe('strategies on the conflicts (loc-1 newer now, loc-2 newer at T, D newer now)', () => {
    const run = async (body: Record<string, unknown>) => {
      const pv = await previewD();
      const done = await restore(http, { previewToken: pv.previewToken, ...body });
      const after = await everything(http);
      const completed = (await allAudit(http, { correlationId: done.restoreId, type: 'RestoreCompleted' }))[0];
      return { ...done, after, completedCounts: completed.data.counts, dataset: await getJson(http, `/api/datasets/${h.d.id}`) };
    };
    const expectUntouchedOutsideScope = (after: Awaited<ReturnType<typeof everything>>) => {
      expect(after.settings).toEqual(h.current.settings);
      expect(after.configurations).toEqual(h.current.configurations);
    };

    it('target-wins (the default) writes the target version of every conflict', async () => {
      const r = await run({});
      expect(r.after.locations).toEqual(expectedLocations(h, { 'loc-1': 'target', 'loc-2': 'target' }));
      expect(r.after.locations).toEqual(h.atT.locations);
      expect(r.dataset).toEqual(h.atT.dataset);
      expect(r.completedCounts).toEqual(counts({ datasets: { changed: 1 }, locations: { added: 1, changed: 2, removed: 1 } }));
      expect(r.job.result.counts).toEqual(r.completedCounts);
      expectUntouchedOutsideScope(r.after);
    });

    it('keep-current keeps the current version of every conflict (additions and removals still happen)', async () => {
      const r = await run({ strategy: 'keep-current' });
      expect(r.after.locations).toEqual(expectedLocations(h, { 'loc-1': 'current', 'loc-2': 'current' }));
      expect(r.dataset).toEqual({ ...h.current.dataset, locationCount: 3 });
      expect(r.completedCounts).toEqual(counts({ locations: { added: 1, removed: 1 } }));
      expectUntouchedOutsideScope(r.after);
    });

    it('newest-wins keeps loc-1 and D (current is newer) and writes loc-2 (target is newer)', async () => {
      const r = await run({ strategy: 'newest-wins' });
      expect(r.after.locations).toEqual(expectedLocations(h, { 'loc-1': 'current', 'loc-2': 'target' }));
      expect(r.dataset).toEqual({ ...h.current.dataset, locationCount: 3 });
      expect(r.completedCounts).toEqual(counts({ locations: { added: 1, changed: 1, removed: 1 } }));
      expectUntouchedOutsideScope(r.after);
    });

    it('fail refuses with 409 RESTORE.CONFLICTS {count: 3} and writes nothing', async () => {
      const pv = await previewD();
      const before = await auditCount(http);
      const res = await http.post('/api/restores').send({ previewToken: pv.previewToken, strategy: 'fail' });
      expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({ status: 409, code: 'RESTORE.CONFLICTS', details: { count: 3 } });
      expect(await auditCount(http)).toBe(before);
      expect((await getJson(http, '/api/restores')).items).toEqual([]);
      expect((await getJson(http, '/api/jobs', { kind: 'restore' })).items).toEqual([]);
      const { dataset: _d, ...now } = h.current;
      expect(await everything(http)).toEqual(now);
      // the same token is still good for another strategy: nothing was written
      await restore(http, { previewToken: pv.previewToken, strategy: 'keep-current' });
    });

    it('fail goes ahead when the scope has no conflicts (configurations: cfg-1 back, cfg-2 gone)', async () => {
      const pv = await preview(http, { target: { at: h.T }, scope: { configurations: true } });
      expect(pv.counts).toEqual(counts({ configurations: { added: 1, removed: 1 } }));
      expect(pv.conflicts).toEqual({ count: 0, items: [] });
      await restore(http, { previewToken: pv.previewToken, strategy: 'fail' });
      const after = await everything(http);
      expect(after.configurations).toEqual(h.atT.configurations);
      expect(after.locations).toEqual(h.current.locations);
      expect(after.settings).toEqual(h.current.settings);
    });

    it('a per-item override beats the strategy: target-wins with location:loc-1 = current keeps only that one', async () => {
      const r = await run({ strategy: 'target-wins', overrides: { 'location:loc-1': 'current' } });
      expect(r.after.locations).toEqual(expectedLocations(h, { 'loc-1': 'current', 'loc-2': 'target' }));
      expect(r.dataset).toEqual(h.atT.dataset);
      expect(r.completedCounts).toEqual(counts({ datasets: { changed: 1 }, locations: { added: 1, changed: 1, removed: 1 } }));
    });

    it('... and keep-current with location:loc-2 and the dataset = target writes only those', async () => {
      const r = await run({ strategy: 'keep-current', overrides: { 'location:loc-2': 'target', [`dataset:${h.d.id}`]: 'target' } });
      expect(r.after.locations).toEqual(expectedLocations(h, { 'loc-1': 'current', 'loc-2': 'target' }));
      expect(r.dataset).toEqual(h.atT.dataset);
      expect(r.completedCounts).toEqual(counts({ datasets: { changed: 1 }, locations: { added: 1, changed: 1, removed: 1 } }));
    });
  });

  describe('settings scope', () => {
    it('{settings: true} restores the settings and touches nothing else', async () => {
      const pv = await preview(http, { target: { at: h.T }, scope: { settings: true } });
      expect(pv.counts).toEqual(counts({ settings: { changed: 2 } }));
      const byKey = (a: any, b: any) => (a.key < b.key ? -1 : 1);
      expect([...pv.samples.settings.changed].sort(byKey)).toEqual([
        { key: 'rotationSpeed', current: 4, target: h.atT.settings.rotationSpeed },
        { key: 'theme', current: 'light', target: 'dark' },
      ]);
      expect(pv.conflicts.count).toBe(2);
      expect(pv.conflicts.items.map((c: any) => c.key).sort()).toEqual(['settings:rotationSpeed', 'settings:theme']);
      const done = await restore(http, { previewToken: pv.previewToken });
      const after = await everything(http);
      expect(after.settings).toEqual(h.atT.settings);
      expect(after.locations).toEqual(h.current.locations);
      expect(after.datasets).toEqual(h.current.datasets);
      expect(after.configurations).toEqual(h.current.configurations);
      const trail = await allAudit(http, { correlationId: done.restoreId });
      expect(trail.map((e) => e.type)).toEqual(['RestorePointCreated', 'RestoreStarted', 'SettingsChanged', 'RestoreCompleted']);
      expect(trail[2].data).toEqual({ patch: { theme: 'dark', rotationSpeed: h.atT.settings.rotationSpeed } });
    });

    it('keep-current with settings:theme = target reverts the theme only; newest-wins keeps the settings', async () => {
      const pv = await preview(http, { target: { at: h.T }, scope: { settings: true } });
      await restore(http, { previewToken: pv.previewToken, strategy: 'keep-current', overrides: { 'settings:theme': 'target' } });
      expect(await getJson(http, '/api/settings')).toEqual({ ...h.current.settings, theme: 'dark' });

      const pv2 = await preview(http, { target: { at: h.T }, scope: { settings: true } });
      expect(pv2.counts).toEqual(counts({ settings: { changed: 1 } }));
      const done = await restore(http, { previewToken: pv2.previewToken, strategy: 'newest-wins' });
      expect(done.job.result.counts).toEqual(counts({}));
      expect(await getJson(http, '/api/settings')).toEqual({ ...h.current.settings, theme: 'dark' });
    });
  });

  describe('restore points', () => {
    it('a restore to a named point returns everything to it; points are listed; unknown ones are 404', async () => {
      const created = await http.post('/api/restore-points').set('X-Actor', 'alice').send({ name: 'Before cleanup', description: 'all good here' });
      expectStatus(created, 201, 'POST /api/restore-points');
      expect(created.body).toMatchObject({ name: 'Before cleanup', description: 'all good here', position: h.head, automatic: false, actor: 'alice' });
      const atPoint = await everything(http);

      // things change after the point
      await patch(http, '/api/locations/loc-1', { name: 'After the point', latitude: -1 });
      expectStatus(await http.delete('/api/locations/loc-2'), 204, 'DELETE loc-2');
      await patch(http, '/api/settings', { theme: 'system', autoRotate: false });
      expectStatus(await http.put('/api/configurations/cfg-3').send({ kind: 'other', name: 'Later', value: 3 }), 200, 'PUT cfg-3');
      const d2 = (await http.post('/api/datasets').send({ name: 'Later dataset' })).body;
      await addLocation(http, d2.id, { name: 'Later place', latitude: 1, longitude: 1 });

      const pv = await preview(http, { target: { restorePointId: created.body.id } });
      expect(pv.position).toBe(created.body.position);
      expect(pv.counts).toEqual(
        counts({ datasets: { removed: 1 }, locations: { added: 1, changed: 1, removed: 1 }, configurations: { removed: 1 }, settings: { changed: 2 } }),
      );
      const done = await restore(http, { previewToken: pv.previewToken });
      expect(await everything(http)).toEqual(atPoint);
      const view = await getJson(http, `/api/restores/${done.restoreId}`);
      expect(view).toMatchObject({ target: { restorePointId: created.body.id }, scope: {}, strategy: 'target-wins' });

      const points = (await getJson(http, '/api/restore-points')).items;
      expect(points.map((p: any) => [p.name, p.automatic])).toEqual([
        [`Before restore ${done.restoreId}`, true],
        ['Before cleanup', false],
        ['Before importing old-copy.csv', true], // the import in the history made one too
      ]);
      expect(points[0].position).toBe((await getJson(http, `/api/restores/${done.restoreId}`)).basePosition);
      expect(points[1]).toEqual(created.body);

      const bad = await http.post('/api/restore-points').send({ name: '   ' });
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'RESTORE_POINT.INVALID_INPUT' });
    });
  });

  describe('two restores at once', () => {
    it('from two previews of the same base: exactly one is accepted, the other is refused with 409 and can never run later', async () => {
      const point = (await http.post('/api/restore-points').send({ name: 'Now' })).body;
      const pvA = await previewD(); // D back to T
      const pvB = await preview(http, { target: { at: h.T }, scope: { settings: true } }); // settings back to T
      expect(pvA.basePosition).toBe(pvB.basePosition);
      expect(pvA.basePosition).toBe(point.position + 1);

      const [ra, rb] = await Promise.all([
        http.post('/api/restores').send({ previewToken: pvA.previewToken }),
        http.post('/api/restores').send({ previewToken: pvB.previewToken }),
      ]);
      const statuses = [ra.status, rb.status].sort();
      expect(statuses).toEqual([202, 409]);
      const [winner, loser, winnerToken, loserToken] = ra.status === 202 ? [ra, rb, pvA, pvB] : [rb, ra, pvB, pvA];
      // refused at once, either because the first one is still running or because it already wrote
      expect(['JOB.ALREADY_RUNNING', 'RESTORE.PREVIEW_STALE']).toContain(loser.body.code);
      const job = await waitForJob(http, winner.body.jobId, 60_000);
      expect(job.state).toBe('completed');

      // once the winner has written, the loser's preview is stale for good
      const retry = await http.post('/api/restores').send({ previewToken: loserToken.previewToken });
      expect({ status: retry.status, code: retry.body.code }).toEqual({ status: 409, code: 'RESTORE.PREVIEW_STALE' });
      const retryWinner = await http.post('/api/restores').send({ previewToken: winnerToken.previewToken });
      expect({ status: retryWinner.status, code: retryWinner.body.code }).toEqual({ status: 409, code: 'RESTORE.PREVIEW_STALE' });

      const restores = (await getJson(http, '/api/restores')).items;
      expect(restores.map((r: any) => r.id)).toEqual([winner.body.restoreId]);
      expect(await allAudit(http, { type: 'RestoreStarted' })).toHaveLength(1);
      const after = await everything(http);
      if (winnerToken === pvA) {
        expect(after.locations).toEqual(h.atT.locations);
        expect(after.settings).toEqual(h.current.settings);
      } else {
        expect(after.locations).toEqual(h.current.locations);
        expect(after.settings).toEqual(h.atT.settings);
      }
    });

    it('an undo while a restore runs is refused with 409 JOB.ALREADY_RUNNING or runs after it, never interleaved', async () => {
      const first = await restore(http, { previewToken: (await previewD()).previewToken });
      const pv = await preview(http, { target: { at: h.T }, scope: { settings: true } });
      const started = await http.post('/api/restores').send({ previewToken: pv.previewToken });
      expectStatus(started, 202, 'POST /api/restores');
      const undoRes = await http.post(`/api/restores/${first.restoreId}/undo`);
      expect([202, 409]).toContain(undoRes.status);
      if (undoRes.status === 409) expect(undoRes.body.code).toBe('JOB.ALREADY_RUNNING');
      expect((await waitForJob(http, started.body.jobId)).state).toBe('completed');
      if (undoRes.status === 202) expect((await waitForJob(http, undoRes.body.jobId)).state).toBe('completed');
      // every restore in the log is whole: its events are consecutive, between its two markers
      for (const r of (await getJson(http, '/api/restores')).items) {
        const trail = await allAudit(http, { correlationId: r.id });
        expect(trail[1].type).toBe('RestoreStarted');
        expect(trail[trail.length - 1].type).toBe('RestoreCompleted');
        expect(trail.map((e) => e.position)).toEqual(trail.map((_, i) => trail[0].position + i));
      }
    });
  });
});
