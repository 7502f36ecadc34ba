import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../common/clock';
import { emptyGlobeState } from '../../domain/globe-state';
import { RecordedEvent } from '../../events/event-store';
import { SqliteEventStore } from '../../events/sqlite/sqlite-event-store';
import { collect, tempDir, testMetadata } from '../../../test/support/event-fixtures';
import { globeStepArb, stepEvents } from '../../../test/support/globe-arbitraries';
import { describeWithPostgres, testSchema } from '../../../test/support/postgres-schema';
import { dumpTables } from '../../../test/support/state-rows';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { rawConnection } from '../sqlite/read-model-db';
import { SqliteLiveReadModels } from '../sqlite/sqlite-live-read-models';
import { stateCounts } from '../sqlite/database-state';
import { openPostgresDataSource, postgresDataSourceOptions } from './postgres-data-source';
import { PostgresLiveReadModels } from './postgres-live-read-models';

/** The PostgreSQL read models in dumpTables' shape (the effective settings document, rows in id order). */
async function dumpPostgres(ds: DataSource) {
  const [settings] = await ds.query("SELECT document FROM settings WHERE id = 'app'");
  const { DEFAULT_SETTINGS } = await import('../../domain/settings');
  return {
    datasets: await ds.query('SELECT * FROM datasets ORDER BY id'),
    locations: await ds.query('SELECT * FROM locations ORDER BY id'),
    settings: { ...DEFAULT_SETTINGS, ...(settings ? JSON.parse(settings.document) : {}) },
    configurations: await ds.query('SELECT * FROM configurations ORDER BY id'),
  };
}

/** Splits `events` into consecutive slices at the given cut points (random apply boundaries). */
function slices(events: RecordedEvent[], cuts: number[]): RecordedEvent[][] {
  const at = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
  const out: RecordedEvent[][] = [];
  let from = 0;
  for (const cut of [...at, events.length]) {
    if (cut > from) out.push(events.slice(from, cut));
    from = Math.max(from, cut);
  }
  return out;
}

/**
 * The PostgreSQL read models are the SQLite ones, row for row: the same random histories (every
 * mutation kind, over a small pool of colliding ids), applied in the same random slices (so one
 * batched statement meets repeated ids, moves between datasets, updates of removed rows) give the
 * same tables, the same checkpoint and counts; a rebuild gives them again; and whole states move
 * between the engines unchanged (exportState writes the state file SQLite would, loadState reads one).
 */
describeWithPostgres('PostgreSQL read models = SQLite read models', () => {
  const schema = testSchema();
  let pg: DataSource;
  let live: PostgresLiveReadModels;
  const dir = tempDir();

  beforeAll(async () => {
    pg = await openPostgresDataSource(postgresDataSourceOptions({ url: schema.url, schema: schema.name }, []));
    live = new PostgresLiveReadModels(pg);
  });
  afterAll(async () => {
    await pg?.destroy();
    await schema.drop();
    dir.cleanup();
  });

  it('the migrations made the tables, the indexes and fold()', async () => {
    const indexes = (await pg.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema.name])).map((r: { indexname: string }) => r.indexname);
    expect(indexes).toEqual(expect.arrayContaining(['locations_dataset_id', 'jobs_kind_state', 'snapshots_position', 'backups_created_at', 'backup_copies_due']));
    expect((await pg.query("SELECT fold('Évora ÅNGSTRÖM') AS f"))[0].f).toBe('evora angstrom');
    expect((await pg.query('SELECT name FROM read_model_migrations'))).toEqual([{ name: 'InitialSchema1764806400000' }]);
  });

  it('instances starting together on an empty schema migrate it once', async () => {
    const fresh = testSchema();
    try {
      const opened = await Promise.all([0, 1, 2].map(() => openPostgresDataSource(postgresDataSourceOptions({ url: fresh.url, schema: fresh.name }, []))));
      expect(await opened[0].query('SELECT name FROM read_model_migrations')).toEqual([{ name: 'InitialSchema1764806400000' }]);
      await Promise.all(opened.map((ds) => ds.destroy()));
    } finally {
      await fresh.drop();
    }
  });

  it('applies one batch of colliding location changes in log order, as SQLite does', async () => {
    const t = '2026-01-01T00:00:00.000Z';
    const ds = (id: string) => ({ type: 'DatasetCreated', data: { dataset: { id, name: id, description: '', color: '#112233', visible: true, source: null, columnMapping: {}, created_at: t, updated_at: t } } });
    const loc = (id: string, quantity?: number) => ({ id, name: `n-${id}`, latitude: 1.5, longitude: -2.25, ...(quantity === undefined ? {} : { quantity }), properties: { k: id }, created_at: t, updated_at: t });
    const update = (datasetId: string, locationId: string, changes: object) => ({ type: 'LocationUpdated', data: { datasetId, locationId, changes, updated_at: t } });
    const history = [
      ds('d1'),
      ds('d2'),
      { type: 'LocationsAdded', data: { datasetId: 'd1', locations: [loc('a', 5), loc('b'), loc('c', 7)] } },
      update('d1', 'a', { quantity: null }),
      { type: 'LocationsAdded', data: { datasetId: 'd2', locations: [loc('e', 9), loc('f', 4)] } },
      update('d2', 'e', { quantity: null }),
      update('d2', 'f', { name: 'keeps its quantity' }),
      update('d1', 'a', { name: 'renamed', latitude: 0.1 }),
      update('d2', 'b', { name: 'not in d2: unchanged' }),
      update('d1', 'c', { properties: { p: 'ü"\\' } }),
      { type: 'LocationsAdded', data: { datasetId: 'd2', locations: [loc('a'), loc('b', 1)] } },
      { type: 'LocationsAdded', data: { datasetId: 'd2', locations: [loc('b', 2)] } },
      { type: 'LocationsRemoved', data: { datasetId: 'd1', locationIds: ['a', 'c'] } },
      { type: 'LocationsRemoved', data: { datasetId: 'd1', locationIds: ['c'] } },
      { type: 'DatasetUpdated', data: { datasetId: 'd1', changes: { visible: false, name: 'one' }, updated_at: t } },
      { type: 'DatasetImported', data: { datasetId: 'd2', source: { file: 'x.csv' }, updated_at: t } },
      { type: 'DatasetUpdated', data: { datasetId: 'gone', changes: { name: 'no row' }, updated_at: t } },
      { type: 'SettingsChanged', data: { patch: { theme: 'dark' } } },
      { type: 'SettingsChanged', data: { patch: { rotationSpeed: 3 } } },
      { type: 'ConfigurationSaved', data: { configuration: { id: 'c1', kind: 'camera-view', name: 'v', value: { z: 1 }, created_at: t, updated_at: t } } },
      { type: 'ConfigurationDeleted', data: { configurationId: 'c1' } },
      { type: 'ConfigurationSaved', data: { configuration: { id: 'c2', kind: 'camera-view', name: 'w', value: [1, 'two'], created_at: t, updated_at: t } } },
      { type: 'DatasetDeleted', data: { datasetId: 'd1' } },
    ].map((e, i) => ({ ...e, position: i + 1 }) as unknown as RecordedEvent);
    const sqlite = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: READ_MODEL_ENTITIES, synchronize: true }).initialize();
    try {
      const reference = new SqliteLiveReadModels(rawConnection(sqlite));
      await reference.apply(history);
      await live.reset();
      await live.apply(history);
      const expected = dumpTables(rawConnection(sqlite));
      expect(expected.locations.map((l) => (l as { id: string }).id)).toEqual(['a', 'b', 'e', 'f']);
      expect(await dumpPostgres(pg)).toEqual(expected);
      expect(await live.checkpoint()).toBe(history.length);
    } finally {
      await sqlite.destroy();
    }
  });

  it('overlapping applies from several connections apply each event once (instances sharing the database)', async () => {
    const t = '2026-01-01T00:00:00.000Z';
    const history = [
      { type: 'DatasetCreated', data: { dataset: { id: 'd', name: 'd', description: '', color: '#112233', visible: true, source: null, columnMapping: {}, created_at: t, updated_at: t } } },
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'SettingsChanged', data: { patch: { rotationSpeed: i } } })),
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'LocationsAdded', data: { datasetId: 'd', locations: [{ id: `l${i % 7}`, name: `v${i}`, latitude: i, longitude: 0, properties: {}, created_at: t, updated_at: t }] } })),
      { type: 'LocationsRemoved', data: { datasetId: 'd', locationIds: ['l0'] } },
    ].map((e, i) => ({ ...e, position: i + 1 }) as unknown as RecordedEvent);
    const sqlite = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: READ_MODEL_ENTITIES, synchronize: true }).initialize();
    const other = await openPostgresDataSource(postgresDataSourceOptions({ url: schema.url, schema: schema.name }, []));
    try {
      await new SqliteLiveReadModels(rawConnection(sqlite)).apply(history);
      await live.reset();
      const second = new PostgresLiveReadModels(other);
      // Two "instances" follow the same log in slices cut differently, concurrently.
      await Promise.all([
        (async () => { for (let i = 0; i < history.length; i += 5) await live.apply(history.slice(i, i + 5)); })(),
        (async () => { for (let i = 0; i < history.length; i += 7) await second.apply(history.slice(i, i + 7)); })(),
      ]);
      expect(await dumpPostgres(pg)).toEqual(dumpTables(rawConnection(sqlite)));
      expect(await live.checkpoint()).toBe(history.length);
      await second.apply(history.slice(10, 20));
      expect(await dumpPostgres(pg)).toEqual(dumpTables(rawConnection(sqlite)));
    } finally {
      await other.destroy();
      await sqlite.destroy();
    }
  });

  it('applies random histories exactly as the SQLite writer does', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(globeStepArb, { minLength: 20, maxLength: 100 }), fc.array(fc.nat(), { maxLength: 12 }), async (steps, cuts) => {
        run += 1;
        const store = new SqliteEventStore(join(dir.dir, `events-${run}.sqlite`), new ManualClock());
        const sqlite = await new DataSource({ type: 'better-sqlite3', database: join(dir.dir, `rm-${run}.sqlite`), entities: READ_MODEL_ENTITIES, synchronize: true }).initialize();
        try {
          const state = emptyGlobeState();
          for (const step of steps) {
            const events = stepEvents(state, step);
            if (events.length > 0) await store.append('s', events.map((e) => ({ ...e, metadata: testMetadata() })));
          }
          const all = await collect(store.readAll());
          const reference = new SqliteLiveReadModels(rawConnection(sqlite));
          await live.reset();
          for (const slice of slices(all, cuts)) {
            await reference.apply(slice);
            await live.apply(slice);
          }
          const expected = dumpTables(rawConnection(sqlite));
          expect(await dumpPostgres(pg)).toEqual(expected);
          expect(await live.counts()).toEqual(await reference.counts());
          expect(await live.checkpoint()).toBe(all.length === 0 ? 0 : all[all.length - 1].position);

          await live.reset();
          expect(await live.counts()).toEqual({ position: 0, counts: { datasets: 0, locations: 0, configurations: 0 } });
          await live.apply(all);
          expect(await dumpPostgres(pg)).toEqual(expected);

          const exported = join(dir.dir, `pg-export-${run}.sqlite`);
          expect(await live.exportState(exported)).toBe(await reference.checkpoint());
          const file = new Database(exported, { readonly: true });
          expect(dumpTables(file)).toEqual(expected);
          expect(stateCounts(file)).toEqual((await reference.counts()).counts);
          file.close();

          const sqliteFile = join(dir.dir, `sqlite-export-${run}.sqlite`);
          await reference.exportState(sqliteFile);
          await live.reset();
          await live.loadState(sqliteFile);
          expect(await dumpPostgres(pg)).toEqual(expected);
          expect(await live.checkpoint()).toBe(await reference.checkpoint());
        } finally {
          await sqlite.destroy();
          await store.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
