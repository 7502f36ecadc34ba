import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { TestApp, allLocations, csv, startApp } from '../support/app-harness';
import { describeWithPostgres, testSchema } from '../support/postgres-schema';
import { backupNow } from '../backups/backup-helpers';
import { expectStatus, getJson, importCsv, momentBetween, patch, preview, restore, undo } from '../recovery/recovery-helpers';

/**
 * The whole app with its read models, jobs and catalogs in PostgreSQL (the log in its embedded
 * SQLite file): a CSV import, an edit, the list endpoints (keyset pages, accent-insensitive search),
 * a point-in-time restore preview (scratch states stay local SQLite files, compared with an export
 * of the live PostgreSQL state), a backup and a preview from it; the rows themselves are read in
 * PostgreSQL, and no SQLite read-model file exists.
 */
/**
 * The log stays in SQLite (EVENT_STORE=sqlite), so the start-up switch, which puts the read models
 * in PostgreSQL only beside a non-SQLite log, is pointed at this spec's schema instead: the only
 * stand-in here; the database, the app and the requests are real.
 */
let mockReadModelsUrl: string | null = null;
jest.mock('../../src/projections/postgres/read-model-database-url', () => ({
  postgresReadModelsFromEnv: () => (mockReadModelsUrl ? { url: mockReadModelsUrl } : null),
}));

describeWithPostgres('read models, jobs and catalogs in PostgreSQL (e2e)', () => {
  const schema = testSchema('gv_e2e');
  let t: TestApp;
  let pg: Client;
  const rows = async (sql: string, params: unknown[] = []) => (await pg.query(sql, params)).rows;

  beforeAll(async () => {
    await schema.create();
    mockReadModelsUrl = schema.url;
    t = await startApp();
    pg = new Client({ connectionString: schema.url });
    await pg.connect();
  }, 120_000);
  afterAll(async () => {
    await pg?.end();
    await t?.close();
    await schema.drop();
  });

  let datasetId: string;
  let beforeEdits: string;

  it('imports a CSV and edits a location: the rows are in PostgreSQL', async () => {
    const created = await t.http.post('/api/datasets').send({ name: 'Évora and friends' });
    expectStatus(created, 201, 'POST /api/datasets');
    datasetId = created.body.id;
    await importCsv(t.http, datasetId, csv(120));
    const [city7] = await rows("SELECT id FROM locations WHERE name = 'City 7'");
    beforeEdits = await momentBetween();
    await patch(t.http, `/api/locations/${city7.id}`, { name: 'Évora', quantity: null });

    expect(await rows('SELECT count(*) AS n FROM locations WHERE dataset_id = $1', [datasetId])).toEqual([{ n: '120' }]);
    expect(await rows('SELECT name, quantity FROM locations WHERE id = $1', [city7.id])).toEqual([{ name: 'Évora', quantity: null }]);
    expect(await rows('SELECT name FROM datasets')).toEqual([{ name: 'Évora and friends' }]);
    const [checkpoint] = await rows("SELECT position FROM projection_checkpoints WHERE name = 'globe'");
    expect(Number(checkpoint.position)).toBeGreaterThanOrEqual(3);
    expect(await rows("SELECT kind, state FROM jobs WHERE kind = 'import'")).toEqual([{ kind: 'import', state: 'completed' }]);
    expect(await rows('SELECT name FROM read_model_migrations')).toEqual([{ name: 'InitialSchema1764806400000' }]);
    expect(existsSync(join(t.dataDir, 'read-models.sqlite'))).toBe(false);
    expect(existsSync(join(t.dataDir, 'events.sqlite'))).toBe(true);
  });

  it('lists datasets and locations from PostgreSQL: counts, keyset pages in id order, folded search', async () => {
    const datasets = await getJson(t.http, '/api/datasets');
    expect(datasets.items.map((d: any) => [d.name, d.locationCount])).toEqual([['Évora and friends', 120]]);
    expect((await getJson(t.http, `/api/datasets/${datasetId}`)).locationCount).toBe(120);
    const paged = await allLocations(t.http, { datasetId }, 7);
    const ids = (await rows('SELECT id FROM locations ORDER BY id')).map((r) => r.id);
    expect(paged.map((l) => l.id)).toEqual(ids);
    expect((await allLocations(t.http, { q: 'EVORA' })).map((l) => l.name)).toEqual(['Évora']);
    const state = await getJson(t.http, '/api/state');
    expect(state.counts).toEqual({ datasets: 1, locations: 120, configurations: 0 });
  });

  it('draws the globe from PostgreSQL: /api/globe/points holds every location of /api/locations, at the checkpoint', async () => {
    const res = await t.http.get('/api/globe/points').expect(200);
    const locations = await allLocations(t.http);
    const byId = new Map(locations.map((l) => [l.id, l]));
    expect([...res.body.ids].sort()).toEqual([...byId.keys()].sort());
    res.body.ids.forEach((id: string, i: number) => {
      const l = byId.get(id)!;
      expect([res.body.latitude[i], res.body.longitude[i], res.body.quantity[i]]).toEqual([l.latitude, l.longitude, l.quantity ?? null]);
    });
    expect(res.body.datasets.map((d: { count: number }) => d.count).reduce((a: number, b: number) => a + b, 0)).toBe(locations.length);
    expect(res.headers['x-position']).toBe(String((await getJson(t.http, '/api/state')).position));
    // a conditional request at the same position reads no rows
    await t.http.get('/api/globe/points').set('If-None-Match', res.headers['etag']).expect(304);
  });

  it('previews a point-in-time restore: a local scratch state compared with the live PostgreSQL state', async () => {
    const pv = await preview(t.http, { target: { at: beforeEdits } });
    expect(pv.counts.locations).toEqual({ added: 0, changed: 1, removed: 0 });
    expect(pv.samples.locations.changed[0].current.name).toBe('Évora');
    expect(pv.samples.locations.changed[0].target.name).toBe('City 7');
    expect((await getJson(t.http, '/api/locations', { at: beforeEdits, q: 'evora' })).items).toEqual([]);
  });

  // The backup reads the live state through LiveReadModels.reader (on PostgreSQL: one REPEATABLE READ export).
  it('writes a backup whose catalog rows are in PostgreSQL, previews and runs a restore from it, and undoes it', async () => {
    const { backupId, view } = await backupNow(t.http, {});
    expect(view.counts.locations).toBe(120);
    expect(await rows('SELECT id, kind FROM backups')).toEqual([{ id: backupId, kind: 'manual' }]);
    expect((await rows('SELECT state FROM backup_copies WHERE backup_id = $1', [backupId])).length).toBeGreaterThan(0);
    await patch(t.http, '/api/settings', { theme: 'dark' });
    const pv = await preview(t.http, { target: { backupId } });
    expect(pv.counts.locations).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(pv.counts.settings).toEqual({ changed: 1 });

    // the restore writes through the log; the projector brings the PostgreSQL rows back, and the undo away again
    const { restoreId } = await restore(t.http, { previewToken: pv.previewToken });
    const theme = async () => JSON.parse((await rows("SELECT document FROM settings WHERE id = 'app'"))[0].document).theme;
    expect(await theme()).toBe('system');
    await undo(t.http, restoreId);
    expect(await theme()).toBe('dark');
  });
});
