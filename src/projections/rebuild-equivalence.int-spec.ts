import fc from 'fast-check';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../common/clock';
import { emptyGlobeState } from '../domain/globe-state';
import { collect, tempDir, testMetadata } from '../../test/support/event-fixtures';
import { dumpTables, stateAsRows } from '../../test/support/state-rows';
import { globeStepArb, stepEvents } from '../../test/support/globe-arbitraries';
import { SqliteEventStore } from '../events/sqlite/sqlite-event-store';
import { READ_MODEL_ENTITIES } from './entities/read-model-entities';
import { rawConnection } from './sqlite/read-model-db';
import { SqliteReadModelWriter } from './sqlite/sqlite-read-model-writer';

/**
 * The projection's central promise: the SQL read models built live, event by event, equal the ones a
 * rebuild replays from position 0, and both equal the pure domain fold (evolve). Checked on long
 * random histories of every mutation kind, over a small pool of ids so that commands collide
 * (updates of deleted things, locations moving between datasets, re-created configurations).
 */
describe('read models: live projection = rebuild = domain fold', () => {
  it('holds for random histories of every mutation kind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(globeStepArb, { minLength: 20, maxLength: 120 }), async (steps) => {
        const dir = tempDir();
        const store = new SqliteEventStore(join(dir.dir, 'events.sqlite'), new ManualClock());
        const dataSource = await new DataSource({ type: 'better-sqlite3', database: join(dir.dir, 'rm.sqlite'), entities: READ_MODEL_ENTITIES, synchronize: true }).initialize();
        try {
          const db = rawConnection(dataSource);
          const writer = new SqliteReadModelWriter(db);
          const state = emptyGlobeState();
          for (const step of steps) {
            const events = stepEvents(state, step);
            if (events.length === 0) continue;
            const appended = await store.append('s', events.map((e) => ({ ...e, metadata: testMetadata() })));
            writer.apply(await collect(store.readAll({ fromPosition: appended.firstPosition })), 'globe');
          }
          const live = dumpTables(db);
          writer.reset('globe');
          writer.apply(await collect(store.readAll()), 'globe');
          const rebuilt = dumpTables(db);
          expect(rebuilt).toEqual(live);
          expect(live).toEqual(stateAsRows(state));
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
