import Database from 'better-sqlite3';
import { ManualClock } from '../common/clock';
import { EventStore } from '../events/event-store';
import { Projector } from '../projections/projector';
import { READ_MODEL_DB } from '../projections/sqlite/read-model-db';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { location, locationsAdded, testMetadata } from '../../test/support/event-fixtures';
import { TestingApp, startTestingApp } from '../../test/support/testing-app';
import { dumpTables } from '../../test/support/state-rows';
import { RestoreHistory } from './restore-history';
import { RestoreService } from './restore.service';
import { StateAtService } from './state-at.service';

/** The pre-restore snapshot is finished by a worker after the restore's job completes: an undo at once must not depend on it. */
describe('undo right after a restore', () => {
  const clock = new ManualClock('2026-06-01T00:00:00.000Z');
  let t: TestingApp;
  beforeEach(async () => (t = await startTestingApp(clock)));
  afterEach(() => t.close());

  it('brings back the state before the restore, from the pre-restore snapshot once it is finished', async () => {
    const store = t.app.get(EventStore);
    const dataset = { id: 'd', name: 'D', description: '', color: '#3b82f6', visible: true, source: null, columnMapping: {}, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
    await store.append('dataset-d', [{ type: 'DatasetCreated', data: { dataset }, metadata: testMetadata() }, locationsAdded('d', [location('a'), location('b')])]);
    const target = await store.headPosition();
    clock.advance(1000);
    await store.append('dataset-d', [
      locationsAdded('d', [location('c')]),
      { type: 'LocationUpdated', data: { datasetId: 'd', locationId: 'a', changes: { name: 'A2' }, updated_at: '2026-06-01T00:00:01.000Z' }, metadata: testMetadata() },
      { type: 'LocationsRemoved', data: { datasetId: 'd', locationIds: ['b'] }, metadata: testMetadata() },
    ]);
    const base = await store.headPosition();
    await t.app.get(Projector).waitFor(base);
    const live = t.app.get<Database.Database>(READ_MODEL_DB);
    const before = dumpTables(live);

    const restores = t.app.get(RestoreService);
    const meta = { actor: 'tester', source: 'restore' as const, causationId: null };
    const preview = await restores.preview({ position: target }, {});
    const started = await restores.start(preview.previewToken, 'target-wins', {}, meta);
    expect((await t.finished(started.jobId)).state).toBe('completed');
    const restored = dumpTables(live);
    expect(restored).not.toEqual(before);

    const restore = await t.app.get(RestoreHistory).find(started.restoreId);
    expect(restore.basePosition).toBe(base);
    const undo = await restores.undo({ restoreId: restore.id, basePosition: restore.basePosition, scope: restore.scope }, meta);
    expect((await t.finished(undo.jobId)).state).toBe('completed');
    expect(dumpTables(live)).toEqual(before);

    const snapshots = t.app.get(SnapshotStore);
    await snapshots.settled(Number.MAX_SAFE_INTEGER);
    expect((await snapshots.list()).map((s) => [s.reason, s.position, s.status])).toContainEqual(['pre-restore', base, 'valid']);
    expect(await t.app.get(StateAtService).use(base, (s) => s.snapshotPosition)).toBe(base);
  });
});
