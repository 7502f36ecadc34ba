import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { TestApp, allAudit, allLocations, restartApp, startApp, waitForJob } from '../support/app-harness';
import {
  addLocation,
  counts,
  everything,
  expectStatus,
  getJson,
  headPosition,
  importCsv,
  momentBetween,
  patch,
  preview,
  restore,
  undo,
} from './recovery-helpers';

const A_ROWS = 2500;
const B_ROWS = 300;

/** Dataset A's file: the named columns plus extra ones (strings, booleans, numbers, a quoted comma) that land in `properties`. */
function csvA(): string {
  const lines = ['name,lat,lng,quantity,country,capital,founded,notes'];
  for (let i = 0; i < A_ROWS; i++) {
    const quantity = i % 50 === 0 ? '' : String(i * 3);
    lines.push(`City A${i},${((i % 170) - 85) + 0.125},${((i * 7) % 350) - 175 + 0.5},${quantity},Country ${i % 7},${i % 2 === 0},${1000 + i},"note, ${i}"`);
  }
  return lines.join('\n') + '\n';
}

function csvB(): string {
  const lines = ['title,latitude,longitude,population'];
  for (let i = 0; i < B_ROWS; i++) lines.push(`Town B${i},${(i % 80) - 40},${(i % 300) - 150},${5000 + i}`);
  return lines.join('\n') + '\n';
}

const withoutCount = ({ locationCount: _n, ...dataset }: any) => dataset;
const withoutDatasetId = ({ datasetId: _d, ...location }: any) => location;

describe('restoring a deleted dataset to a moment before its deletion (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('brings back exactly its records, moves nothing else, is audited, listed, and can be undone and redone', async () => {
    const http = t.http;

    // --- history: two imported datasets, edits, a setting and a configuration ---
    const a = (await http.post('/api/datasets').send({ name: 'Cities A', description: 'the one that gets deleted', color: '#aa3300', columnMapping: { quantity: 'quantity', label: 'country' } })).body;
    const b = (await http.post('/api/datasets').send({ name: 'Towns B' })).body;
    await importCsv(http, a.id, csvA(), { fileName: 'cities-a.csv' });
    await importCsv(http, b.id, csvB(), { fileName: 'towns-b.csv' });

    const aBefore = await allLocations(http, { datasetId: a.id }, 1000);
    expect(aBefore).toHaveLength(A_ROWS);
    // the extra columns were kept, typed, in properties (what the restore must bring back verbatim)
    expect(aBefore.find((l) => l.name === 'City A1')).toMatchObject({ quantity: 3, properties: { country: 'Country 1', capital: false, founded: 1001, notes: 'note, 1' } });
    expect(aBefore.find((l) => l.name === 'City A0')).not.toHaveProperty('quantity');

    // edits to some of A's locations: name, coordinates, properties, quantity removed
    const [e1, e2, e3] = [aBefore[10], aBefore[20], aBefore[30]];
    await patch(http, `/api/locations/${e1.id}`, { name: 'Edited name', latitude: 1.5, longitude: -2.25 });
    await patch(http, `/api/locations/${e2.id}`, { properties: { country: 'Elsewhere', extra: [1, 2, { deep: true }] } });
    await patch(http, `/api/locations/${e3.id}`, { quantity: null });
    await patch(http, '/api/settings', { theme: 'dark', globeStyle: 'satellite' });
    expectStatus(await http.put('/api/configurations/view-1').send({ kind: 'camera-view', name: 'View 1', value: { lat: 10, lng: 20, zoom: 3 } }), 200, 'PUT configuration');

    // what the API answered for A just before T
    const aLocations = await allLocations(http, { datasetId: a.id }, 1000);
    const aRecord = await getJson(http, `/api/datasets/${a.id}`);
    expect(aRecord.locationCount).toBe(A_ROWS);
    expect(aRecord.source).toEqual({ fileName: 'cities-a.csv', format: 'csv' });
    expect(aLocations.find((l) => l.id === e1.id)).toMatchObject({ name: 'Edited name', latitude: 1.5, longitude: -2.25 });
    expect(aLocations.find((l) => l.id === e3.id)).not.toHaveProperty('quantity');

    const T = await momentBetween();

    // --- after T: A is deleted; B, the settings and the configurations change ---
    expectStatus(await http.delete(`/api/datasets/${a.id}`), 204, 'DELETE dataset A');
    const bLocs = await allLocations(http, { datasetId: b.id }, 1000);
    await patch(http, `/api/locations/${bLocs[5].id}`, { name: 'B changed after T', quantity: 1 });
    await addLocation(http, b.id, { id: 'b-added-after-t', name: 'B new', latitude: 3, longitude: 4, properties: { late: true } });
    await patch(http, `/api/datasets/${b.id}`, { description: 'edited after T' });
    await patch(http, '/api/settings', { rotationSpeed: 2, theme: 'light' });
    expectStatus(await http.put('/api/configurations/view-2').send({ kind: 'filter', name: 'After T', value: { min: 1 } }), 200, 'PUT configuration');
    const deleted = await http.get(`/api/datasets/${a.id}`);
    expect({ status: deleted.status, code: deleted.body.code }).toEqual({ status: 404, code: 'DATASET.NOT_FOUND' });

    const beforeRestore = await everything(http);
    expect(beforeRestore.datasets.map((d) => d.id)).toEqual([b.id]);
    const baseHead = await headPosition(http);
    const positionAtT = (await getJson(http, '/api/state', { at: T })).position;

    // --- preview: A comes back with its N locations, and nothing of B, the settings or configurations ---
    const pv = await preview(http, { target: { at: T }, scope: { datasets: [a.id] } });
    const expectedCounts = counts({ datasets: { added: 1 }, locations: { added: A_ROWS } });
    expect(pv.counts).toEqual(expectedCounts);
    expect(pv.conflicts).toEqual({ count: 0, items: [] });
    expect(pv.position).toBe(positionAtT);
    expect(pv.basePosition).toBe(baseHead);
    expect(pv.target).toEqual({ at: T });
    expect(pv.scope).toEqual({ datasets: [a.id] });
    expect(typeof pv.previewToken).toBe('string');
    expect(pv.samples.datasets).toEqual({ added: [withoutCount(aRecord)], changed: [], removed: [] });
    expect(pv.samples.locations.changed).toEqual([]);
    expect(pv.samples.locations.removed).toEqual([]);
    expect(pv.samples.locations.added).toHaveLength(10);
    const aById = new Map(aLocations.map((l) => [l.id, l]));
    for (const sample of pv.samples.locations.added) expect(sample).toEqual(aById.get(sample.id));
    expect(pv.samples.configurations).toEqual({ added: [], changed: [], removed: [] });
    expect(pv.samples.settings).toEqual({ changed: [] });
    // a preview writes nothing
    expect(await headPosition(http)).toBe(baseHead);

    // --- restore ---
    const { restoreId, job } = await restore(http, { previewToken: pv.previewToken });
    expect(job.kind).toBe('restore');
    expect(job.result).toMatchObject({ restoreId, counts: expectedCounts, basePosition: baseHead });

    // every location of A is back, identical to what GET returned before the delete
    expect(await allLocations(http, { datasetId: a.id }, 1000)).toEqual(aLocations);
    expect(await getJson(http, `/api/datasets/${a.id}`)).toEqual(aRecord);
    for (const l of aLocations.slice(0, 5)) expect(await getJson(http, `/api/locations/${l.id}`)).toEqual(l);

    // ... and nothing else moved
    const afterRestore = await everything(http);
    expect(afterRestore.settings).toEqual(beforeRestore.settings);
    expect(afterRestore.configurations).toEqual(beforeRestore.configurations);
    expect(afterRestore.datasets).toEqual([aRecord, ...beforeRestore.datasets]);
    expect(afterRestore.locations.filter((l) => l.datasetId === b.id)).toEqual(beforeRestore.locations);
    expect(afterRestore.locations).toHaveLength(A_ROWS + B_ROWS + 1);

    // --- the audit trail of the restore: one correlation id, source 'restore', markers around the compensating events ---
    const trail = await allAudit(http, { correlationId: restoreId });
    const chunks = Math.ceil(A_ROWS / 1000);
    expect(trail.map((e) => e.type)).toEqual([
      'RestorePointCreated',
      'RestoreStarted',
      'DatasetCreated',
      ...Array(chunks).fill('LocationsAdded'),
      'RestoreCompleted',
    ]);
    for (const e of trail) {
      expect({ correlationId: e.metadata.correlationId, source: e.metadata.source, stream: e.stream }).toEqual({
        correlationId: restoreId,
        source: 'restore',
        stream: `restore-${restoreId}`,
      });
    }
    expect(trail.map((e) => e.position)).toEqual(trail.map((_, i) => baseHead + 1 + i));
    expect(trail[0].data).toMatchObject({ position: baseHead, automatic: true });
    expect(trail[1].data).toEqual({ restoreId, target: { at: T }, scope: { datasets: [a.id] }, strategy: 'target-wins', basePosition: baseHead, undoOf: null });
    expect(trail[2].data).toEqual({ dataset: withoutCount(aRecord) });
    const restoredLocations = trail.filter((e) => e.type === 'LocationsAdded').flatMap((e) => {
      expect(e.data.datasetId).toBe(a.id);
      return e.data.locations;
    });
    expect(restoredLocations.map((l: any) => l.id).sort()).toEqual(aLocations.map((l) => l.id).sort());
    expect(new Map(restoredLocations.map((l: any) => [l.id, l])).get(e2.id)).toEqual(withoutDatasetId(aById.get(e2.id)));
    expect(trail[trail.length - 1].data).toEqual({ restoreId, counts: expectedCounts });
    // the restore's own events are all there is after the base
    expect(await headPosition(http)).toBe(baseHead + trail.length);

    // --- the restore is listed with its counts ---
    const listed = await getJson(http, '/api/restores');
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      id: restoreId,
      source: 'restore',
      target: { at: T },
      scope: { datasets: [a.id] },
      strategy: 'target-wins',
      basePosition: baseHead,
      undoOf: null,
      undoneBy: null,
      position: baseHead + 2,
      counts: expectedCounts,
    });
    expect(await getJson(http, `/api/restores/${restoreId}`)).toEqual(listed.items[0]);
    const unknown = await http.get('/api/restores/no-such-restore');
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'RESTORE.NOT_FOUND' });

    // --- undo: A is gone again, B untouched ---
    const headBeforeUndo = await headPosition(http);
    const undone = await undo(http, restoreId);
    expect(undone.restoreId).not.toBe(restoreId);
    expect(undone.job.result).toMatchObject({ counts: counts({ datasets: { removed: 1 }, locations: { removed: A_ROWS } }), basePosition: headBeforeUndo });
    const missing = await http.get(`/api/datasets/${a.id}`);
    expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'DATASET.NOT_FOUND' });
    expect(await allLocations(http, { datasetId: a.id })).toEqual([]);
    expect(await everything(http)).toEqual(beforeRestore);
    const undoTrail = await allAudit(http, { correlationId: undone.restoreId });
    expect(undoTrail.map((e) => e.type)).toEqual(['RestorePointCreated', 'RestoreStarted', 'DatasetDeleted', 'RestoreCompleted']);
    expect(undoTrail[1].data).toEqual({
      restoreId: undone.restoreId,
      target: { position: baseHead },
      scope: { datasets: [a.id] },
      strategy: 'target-wins',
      basePosition: headBeforeUndo,
      undoOf: restoreId,
    });
    expect(undoTrail.every((e) => e.metadata.source === 'restore' && e.metadata.correlationId === undone.restoreId)).toBe(true);

    const afterUndo = (await getJson(http, '/api/restores')).items;
    expect(afterUndo.map((r: any) => [r.id, r.undoOf])).toEqual([
      [undone.restoreId, restoreId],
      [restoreId, null],
    ]);
    expect(afterUndo[0].counts).toEqual(counts({ datasets: { removed: 1 }, locations: { removed: A_ROWS } }));
    // the restore says it was undone, and by which; a second undo of it is refused, nothing written
    expect(afterUndo.map((r: any) => r.undoneBy?.id ?? null)).toEqual([null, undone.restoreId]);
    expect((await getJson(http, `/api/restores/${restoreId}`)).undoneBy).toEqual({ id: undone.restoreId, startedAt: afterUndo[0].startedAt });
    const headAfterUndo = await headPosition(http);
    const twice = await http.post(`/api/restores/${restoreId}/undo`);
    expect({ status: twice.status, code: twice.body.code, details: twice.body.details }).toEqual({
      status: 409,
      code: 'RESTORE.ALREADY_UNDONE',
      details: { id: restoreId, undoneBy: undone.restoreId },
    });
    expect(await headPosition(http)).toBe(headAfterUndo);

    // --- the undo is a restore too: undoing it brings A back, identical, B still untouched ---
    const headBeforeRedo = await headPosition(http);
    const redone = await undo(http, undone.restoreId);
    expect(redone.job.result).toMatchObject({ counts: expectedCounts, basePosition: headBeforeRedo });
    expect(await allLocations(http, { datasetId: a.id }, 1000)).toEqual(aLocations);
    expect(await getJson(http, `/api/datasets/${a.id}`)).toEqual(aRecord);
    expect(await everything(http)).toEqual(afterRestore);
    const finalList = (await getJson(http, '/api/restores')).items;
    expect(finalList.map((r: any) => [r.id, r.undoOf])).toEqual([
      [redone.restoreId, undone.restoreId],
      [undone.restoreId, restoreId],
      [restoreId, null],
    ]);
    expect(finalList[0]).toMatchObject({ target: { position: headBeforeUndo }, basePosition: headBeforeRedo, counts: expectedCounts });

    // --- a restore rewrites no history: the past still reads as it was (A deleted before the restore) ---
    expect(await everything(http, new Date(Date.parse(trail[0].recordedAt) - 1).toISOString())).toEqual(beforeRestore);
  });

  it('restoring everything to before the first event empties the service; a rebuild and a restart agree; undo brings it all back', async () => {
    let http = t.http;
    const before = await everything(http);
    expect(before.datasets).toHaveLength(2);
    const settingsChanged = Object.keys(DEFAULT_SETTINGS).filter((k) => JSON.stringify((before.settings as any)[k]) !== JSON.stringify((DEFAULT_SETTINGS as any)[k]));
    expect(settingsChanged.sort()).toEqual(['globeStyle', 'rotationSpeed', 'theme']);

    const pv = await preview(http, { target: { position: 0 } });
    expect(pv.position).toBe(0);
    expect(pv.counts).toEqual(
      counts({
        datasets: { removed: 2 },
        locations: { removed: before.locations.length },
        configurations: { removed: before.configurations.length },
        settings: { changed: settingsChanged.length },
      }),
    );
    const { restoreId } = await restore(http, { previewToken: pv.previewToken });
    const empty = { datasets: [], locations: [], settings: DEFAULT_SETTINGS, configurations: [] };
    expect(await everything(http)).toEqual(empty);
    const trail = await allAudit(http, { correlationId: restoreId });
    // datasets go with one DatasetDeleted each (their locations with them), never thousands of removals
    expect(trail.map((e) => e.type)).toEqual([
      'RestorePointCreated',
      'RestoreStarted',
      'DatasetDeleted',
      'DatasetDeleted',
      'SettingsChanged',
      'ConfigurationDeleted',
      'ConfigurationDeleted',
      'RestoreCompleted',
    ]);

    // the read models rebuilt from the log say the same
    const rebuild = await http.post('/api/projections/rebuild');
    expectStatus(rebuild, 202, 'POST /api/projections/rebuild');
    expect((await waitForJob(http, rebuild.body.jobId, 60_000)).state).toBe('completed');
    expect(await everything(http)).toEqual(empty);

    // ... and so does a restarted service, which still lists the restore
    await t.stop();
    t = await restartApp(t.dataDir);
    http = t.http;
    expect(await everything(http)).toEqual(empty);
    expect((await getJson(http, `/api/restores/${restoreId}`)).counts).toEqual(pv.counts);

    // the moment before the restore still reads as it was
    expect(await everything(http, new Date(Date.parse(trail[0].recordedAt) - 1).toISOString())).toEqual(before);

    const undone = await undo(http, restoreId);
    expect(undone.job.result.counts).toEqual(
      counts({
        datasets: { added: 2 },
        locations: { added: before.locations.length },
        configurations: { added: before.configurations.length },
        settings: { changed: settingsChanged.length },
      }),
    );
    expect(await everything(http)).toEqual(before);
  });
});
