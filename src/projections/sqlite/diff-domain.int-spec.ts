import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../common/clock';
import { emptyGlobeState } from '../../domain/globe-state';
import { RestoreScope } from '../../domain/restore';
import { SqliteEventStore } from '../../events/sqlite/sqlite-event-store';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { rawConnection } from './read-model-db';
import { SqliteReadModelWriter } from './sqlite-read-model-writer';
import { collect, tempDir, testMetadata } from '../../../test/support/event-fixtures';
import { globeStepArb, stepEvents } from '../../../test/support/globe-arbitraries';
import { compensatingEvents } from './compensating-events';
import { emptyCounts } from '../target-state';
import { sortTouched } from './sort-touched';
import { touchedBetween } from '../touched-ids';
import { DiffDomain } from './diff-sql';
import { diffStates, withLiveAttached } from './state-diff';

const scopeArb: fc.Arbitrary<RestoreScope> = fc.oneof(
  fc.constant({}),
  fc.record({ datasets: fc.subarray(['d1', 'd2', 'd3']), settings: fc.constant(true as const), configurations: fc.constant(true as const) }, { requiredKeys: [] }),
);

/**
 * The diff over the ids the log names between the target and the head (touched-ids.ts, sort-touched.ts) must be the
 * diff over every row: the same counts, the same conflicts, the same compensating events, for
 * random histories, targets, scopes and strategies.
 */
describe('diff over the touched ids = full diff (property)', () => {
  it('holds for random histories, targets, scopes and strategies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(globeStepArb, { minLength: 5, maxLength: 150 }),
        fc.nat(),
        scopeArb,
        fc.constantFrom('target-wins' as const, 'keep-current' as const, 'newest-wins' as const),
        async (steps, pick, scope, strategy) => {
          const dir = tempDir();
          const store = new SqliteEventStore(join(dir.dir, 'events.sqlite'), new ManualClock());
          const open = (name: string) =>
            new DataSource({ type: 'better-sqlite3', database: join(dir.dir, name), entities: READ_MODEL_ENTITIES, synchronize: true }).initialize();
          const [live, target] = [await open('live.sqlite'), await open('target.sqlite')];
          try {
            const state = emptyGlobeState();
            for (const step of steps) {
              const events = stepEvents(state, step);
              if (events.length) await store.append('s', events.map((e) => ({ ...e, metadata: testMetadata() })));
            }
            const head = await store.headPosition();
            const position = pick % (head + 1);
            new SqliteReadModelWriter(rawConnection(live)).apply(await collect(store.readAll()), 'globe');
            new SqliteReadModelWriter(rawConnection(target)).apply(await collect(store.readAll({ toPosition: position })), 'globe');
            const db = rawConnection(target);

            const touched = await touchedBetween(store, position, head);
            const both = async (fn: (domain: DiffDomain | null) => unknown) => ({
              full: await withLiveAttached(db, live.options.database as string, () => fn(null)),
              limited: await withLiveAttached(db, live.options.database as string, () => fn(touched && sortTouched(db, touched))),
            });

            const diffs = await both((domain) => diffStates(db, scope, domain, 1000, 1000));
            const sorted = (d: ReturnType<typeof diffStates>) => ({
              counts: d.counts,
              conflicts: { count: d.conflicts.count, items: [...d.conflicts.items].sort((a, b) => a.key.localeCompare(b.key)) },
            });
            expect(sorted(diffs.limited as ReturnType<typeof diffStates>)).toEqual(sorted(diffs.full as ReturnType<typeof diffStates>));

            // The same row changes, as a set: each id changes once, so the order of rows within a kind
            // (SQL gives them in plan order) and how they are chunked into events do not change what
            // the restore writes; the order of kinds is the code's, the same on both paths.
            const events = await both((domain) => [...compensatingEvents(db, scope, { strategy, overrides: {} }, emptyCounts(), domain)]);
            const rowChanges = (list: unknown) =>
              (list as Array<{ type: string; data: Record<string, unknown> }>)
                .flatMap((e): unknown[] =>
                  e.type === 'LocationsAdded'
                    ? (e.data.locations as unknown[]).map((l) => ({ type: e.type, datasetId: e.data.datasetId, l }))
                    : e.type === 'LocationsRemoved'
                      ? (e.data.locationIds as string[]).map((id) => ({ type: e.type, datasetId: e.data.datasetId, id }))
                      : [e],
                )
                .map((change) => JSON.stringify(change))
                .sort();
            expect(rowChanges(events.limited)).toEqual(rowChanges(events.full));
          } finally {
            await live.destroy();
            await target.destroy();
            await store.close();
            dir.cleanup();
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
