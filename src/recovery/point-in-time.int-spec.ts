import Database from 'better-sqlite3';
import fc from 'fast-check';
import { ManualClock } from '../common/clock';
import { evolve } from '../domain/evolve';
import { emptyGlobeState } from '../domain/globe-state';
import { EventStore } from '../events/event-store';
import { Projector } from '../projections/projector';
import { READ_MODEL_DB, rawConnection } from '../projections/sqlite/read-model-db';
import { SnapshotJobs } from '../snapshots/snapshot-jobs';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { collect, testMetadata } from '../../test/support/event-fixtures';
import { TestingApp, startTestingApp } from '../../test/support/testing-app';
import { globeStepArb, stepEvents } from '../../test/support/globe-arbitraries';
import { dumpTables, stateAsRows } from '../../test/support/state-rows';
import { RestoreHistory } from './restore-history';
import { RestoreService } from './restore.service';
import { StateAtService } from './state-at.service';

/**
 * The recovery promises, on random histories of every mutation kind with random timestamps,
 * random snapshot points and random compactions (with the default retention policy):
 *  1. stateAt(T) equals the naive fold of every event with recordedAt ≤ T;
 *  2. after a restore to T the live read models equal that state;
 *  3. after undoing the restore they equal the state before it.
 */
describe('point-in-time recovery (property)', () => {
  const clock = new ManualClock('2026-05-01T00:00:00.000Z');
  let testing: TestingApp;

  it('stateAt(T) = fold(≤T); restore to T makes live = fold(≤T); undo makes live = before', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({
            step: globeStepArb,
            gapMs: fc.constantFrom(0, 0, 1, 250, 5000, 3 * 3600_000),
            snapshot: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'snapshot', 'compact'),
          }), { minLength: 10, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (history, pick) => {
          testing = await startTestingApp(clock);
          const { app } = testing;
          try {
            const store = app.get(EventStore);
            const projector = app.get(Projector);
            const state = emptyGlobeState();
            for (const { step, gapMs, snapshot } of history) {
              clock.advance(gapMs);
              const events = stepEvents(state, step);
              if (events.length) await store.append('history', events.map((e) => ({ ...e, metadata: testMetadata() })));
              if (snapshot !== 'none') await projector.waitFor(await store.headPosition());
              if (snapshot === 'snapshot') await app.get(SnapshotStore).take('manual');
              if (snapshot === 'compact') await testing.finished((await app.get(SnapshotJobs).compact('prop', 'api')).id);
            }
            const log = await collect(store.readAll());
            if (log.length === 0) return;
            // T anywhere from before the first event to after the last, often between two equal timestamps.
            const first = Date.parse(log[0].recordedAt) - 1;
            const last = Date.parse(log[log.length - 1].recordedAt) + 1;
            const T = new Date(Math.floor(first + pick * (last - first))).toISOString();
            const folded = emptyGlobeState();
            for (const e of log) if (e.recordedAt <= T) evolve(folded, e);
            const expected = stateAsRows(folded);

            const position = await store.positionAt(T);
            const past = await app.get(StateAtService).use(position, (s) => dumpTables(rawConnection(s.dataSource)));
            expect(past).toEqual(expected);

            await projector.waitFor(await store.headPosition());
            const live = app.get<Database.Database>(READ_MODEL_DB);
            const before = dumpTables(live);
            const restores = app.get(RestoreService);
            const preview = await restores.preview({ at: T }, {});
            clock.advance(1000);
            const started = await restores.start(preview.previewToken, 'target-wins', {}, { actor: 'prop', source: 'restore', causationId: null });
            expect((await testing.finished(started.jobId)).state).toBe('completed');
            expect(dumpTables(live)).toEqual(expected);

            const restore = await app.get(RestoreHistory).find(started.restoreId);
            const undo = await restores.undo(
              { restoreId: restore.id, basePosition: restore.basePosition, scope: restore.scope },
              { actor: 'prop', source: 'restore', causationId: null },
            );
            expect((await testing.finished(undo.jobId)).state).toBe('completed');
            expect(dumpTables(live)).toEqual(before);
          } finally {
            await testing.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
