import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../common/clock';
import { AppError } from '../common/app-error';
import { GlobeCommand } from '../domain/commands';
import { decide } from '../domain/decide';
import { evolve } from '../domain/evolve';
import { GlobeEvent } from '../domain/events';
import { GlobeState, emptyGlobeState } from '../domain/globe-state';
import { collect, tempDir, testMetadata } from '../../test/support/event-fixtures';
import { SqliteEventStore } from '../events/sqlite/sqlite-event-store';
import { READ_MODEL_ENTITIES } from './entities/read-model-entities';
import { rawConnection } from './read-model-db';
import { SqliteReadModelWriter } from './sqlite-read-model-writer';

/**
 * The projection's central promise: the SQL read models built live, event by event, equal the ones a
 * rebuild replays from position 0, and both equal the pure domain fold (evolve). Checked on long
 * random histories of every mutation kind, over a small pool of ids so that commands collide
 * (updates of deleted things, locations moving between datasets, re-created configurations).
 */
const ids = { ds: ['d1', 'd2', 'd3'], loc: ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'], cfg: ['c1', 'c2'] };
const now = '2026-02-01T00:00:00.000Z';

const commandArb: fc.Arbitrary<GlobeCommand> = fc.oneof(
  fc.record({ id: fc.constantFrom(...ids.ds), name: fc.string({ minLength: 1, maxLength: 8 }) }).map(
    (d): GlobeCommand => ({ type: 'CreateDataset', now, data: d }),
  ),
  fc
    .record({ id: fc.constantFrom(...ids.ds), changes: fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), visible: fc.boolean() }, { requiredKeys: [] }) })
    .map((d): GlobeCommand => ({ type: 'UpdateDataset', now, data: d })),
  fc.constantFrom(...ids.ds).map((id): GlobeCommand => ({ type: 'DeleteDataset', now, data: { id } })),
  fc
    .record({
      datasetId: fc.constantFrom(...ids.ds),
      id: fc.constantFrom(...ids.loc),
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      quantity: fc.option(fc.integer({ min: -5, max: 1000 }), { nil: undefined }),
      note: fc.string({ maxLength: 6 }),
    })
    .map(
      (l): GlobeCommand => ({
        type: 'AddLocation',
        now,
        data: {
          datasetId: l.datasetId,
          location: { id: l.id, name: `n-${l.id}`, latitude: l.latitude, longitude: l.longitude, quantity: l.quantity, properties: { note: l.note } },
        },
      }),
    ),
  fc
    .record({
      id: fc.constantFrom(...ids.loc),
      changes: fc.record(
        { name: fc.string({ minLength: 1, maxLength: 5 }), quantity: fc.option(fc.integer(), { nil: null }), properties: fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }) },
        { requiredKeys: [] },
      ),
    })
    .map((d): GlobeCommand => ({ type: 'UpdateLocation', now, data: d })),
  fc.constantFrom(...ids.loc).map((id): GlobeCommand => ({ type: 'RemoveLocation', now, data: { id } })),
  fc.record({ theme: fc.constantFrom('light', 'dark', 'system' as const), rotationSpeed: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: [] }).map(
    (patch): GlobeCommand => ({ type: 'ChangeSettings', now, data: { patch } }),
  ),
  fc.record({ id: fc.constantFrom(...ids.cfg), name: fc.string({ minLength: 1, maxLength: 5 }), value: fc.jsonValue({ maxDepth: 2 }) }).map(
    (c): GlobeCommand => ({ type: 'SaveConfiguration', now, data: { ...c, kind: 'camera-view' } }),
  ),
  fc.constantFrom(...ids.cfg).map((id): GlobeCommand => ({ type: 'DeleteConfiguration', now, data: { id } })),
);

/** Imports skip the AddLocation rule that refuses a taken id: a bulk LocationsAdded may move a location between datasets. */
const bulkMoveArb = fc.record({ datasetId: fc.constantFrom(...ids.ds), locIds: fc.uniqueArray(fc.constantFrom(...ids.loc), { minLength: 1 }) });

function dumpTables(db: Database.Database) {
  return {
    datasets: db.prepare('SELECT * FROM datasets ORDER BY id').all(),
    locations: db.prepare('SELECT * FROM locations ORDER BY id').all(),
    settings: db.prepare('SELECT * FROM settings ORDER BY id').all(),
    configurations: db.prepare('SELECT * FROM configurations ORDER BY id').all(),
  };
}

/** The domain fold in the read models' row shapes, to compare with what SQL holds. */
function stateAsRows(state: GlobeState, settingsWritten: boolean) {
  const byId = <T extends { id: string }>(xs: Iterable<T>) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    datasets: byId(state.datasets.values()).map((d) => ({
      id: d.id, name: d.name, description: d.description, color: d.color, visible: d.visible ? 1 : 0,
      source: d.source ? JSON.stringify(d.source) : null, column_mapping: JSON.stringify(d.columnMapping), created_at: d.created_at, updated_at: d.updated_at,
    })),
    locations: byId(state.locations.values()).map((l) => ({
      id: l.id, dataset_id: l.datasetId, name: l.name, latitude: l.latitude, longitude: l.longitude, quantity: l.quantity ?? null,
      properties: JSON.stringify(l.properties), created_at: l.created_at, updated_at: l.updated_at,
    })),
    settings: settingsWritten ? [{ id: 'app', document: JSON.stringify(state.settings) }] : [],
    configurations: byId(state.configurations.values()).map((c) => ({
      id: c.id, kind: c.kind, name: c.name, value: JSON.stringify(c.value), created_at: c.created_at, updated_at: c.updated_at,
    })),
  };
}

const parseSettings = (rows: { settings: unknown[] }) =>
  rows.settings.map((r) => ({ ...(r as object), document: JSON.parse((r as { document: string }).document) }));

describe('read models: live projection = rebuild = domain fold', () => {
  it('holds for random histories of every mutation kind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof({ weight: 8, arbitrary: commandArb.map((c) => ({ c })) }, { weight: 1, arbitrary: bulkMoveArb.map((m) => ({ m })) }), { minLength: 20, maxLength: 120 }), async (steps) => {
        const dir = tempDir();
        const store = new SqliteEventStore(join(dir.dir, 'events.sqlite'), new ManualClock());
        const dataSource = await new DataSource({ type: 'better-sqlite3', database: join(dir.dir, 'rm.sqlite'), entities: READ_MODEL_ENTITIES, synchronize: true }).initialize();
        try {
          const db = rawConnection(dataSource);
          const writer = new SqliteReadModelWriter(db);
          const state = emptyGlobeState();
          let settingsWritten = false;
          for (const step of steps) {
            let events: GlobeEvent[];
            if ('m' in step) {
              const locations = step.m.locIds.map((id) => ({ id, name: `bulk-${id}`, latitude: 1, longitude: 2, properties: { bulk: true }, created_at: now, updated_at: now }));
              events = [{ type: 'LocationsAdded', data: { datasetId: step.m.datasetId, locations } }];
            } else {
              try {
                events = decide(state, step.c);
              } catch (error) {
                if (error instanceof AppError) continue;
                throw error;
              }
            }
            if (events.length === 0) continue;
            for (const e of events) evolve(state, e);
            settingsWritten ||= events.some((e) => e.type === 'SettingsChanged');
            const appended = await store.append('s', events.map((e) => ({ ...e, metadata: testMetadata() })));
            writer.apply(await collect(store.readAll({ fromPosition: appended.firstPosition })), 'globe');
          }
          const live = dumpTables(db);
          writer.reset('globe');
          writer.apply(await collect(store.readAll()), 'globe');
          const rebuilt = dumpTables(db);
          expect(rebuilt).toEqual(live);
          const folded = stateAsRows(state, settingsWritten);
          expect({ ...live, settings: parseSettings(live) }).toEqual({ ...folded, settings: parseSettings(folded) });
          expect(writer.checkpoint('globe')).toBe(await store.headPosition());
        } finally {
          await dataSource.destroy();
          await store.close();
          dir.cleanup();
        }
      }),
      { numRuns: 60 },
    );
  });
});
