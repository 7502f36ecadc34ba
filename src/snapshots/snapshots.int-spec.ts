import Database from 'better-sqlite3';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../common/clock';
import { EventStore } from '../events/event-store';
import { Projector } from '../projections/projector';
import { READ_MODEL_DB, rawConnection } from '../projections/sqlite/read-model-db';
import { StateAtService } from '../recovery/state-at.service';
import { collect, location, locationsAdded, settingsChanged, testMetadata } from '../../test/support/event-fixtures';
import { TestingApp, startTestingApp } from '../../test/support/testing-app';
import { hashState } from '../projections/sqlite/database-state';
import { SnapshotEntity } from './snapshot.entity';
import { SnapshotJobs } from './snapshot-jobs';
import { SnapshotStore } from './snapshot-store';

const HOUR = 3600_000;

describe('snapshots', () => {
  const clock = new ManualClock('2026-04-01T00:00:00.000Z');
  let t: TestingApp;
  let store: EventStore;
  let snapshots: SnapshotStore;

  beforeEach(async () => {
    t = await startTestingApp(clock);
    store = t.app.get(EventStore);
    snapshots = t.app.get(SnapshotStore);
  });
  afterEach(() => t.close());

  const settle = async () => t.app.get(Projector).waitFor(await store.headPosition());
  const addLocation = (id: string) =>
    store.append('dataset-d', [
      ...(id === 'a' ? [{ type: 'DatasetCreated' as const, data: { dataset: dataset('d') }, metadata: testMetadata() }] : []),
      locationsAdded('d', [location(id)]),
    ]);
  const locationIdsAt = (position: number) =>
    t.app.get(StateAtService).use(position, (s) => (rawConnection(s.dataSource).prepare('SELECT id FROM locations ORDER BY id').all() as { id: string }[]).map((r) => r.id));
  const snapshotRow = (id: string) => t.app.get(DataSource).getRepository(SnapshotEntity).findOneByOrFail({ id });

  it('takes one by itself every snapshotEveryEvents events', async () => {
    await store.append('settings', [settingsChanged({ snapshotEveryEvents: 5 })]);
    for (let i = 0; i < 6; i++) await store.append('s', [settingsChanged({ rotationSpeed: i })]);
    await settle();
    const deadline = Date.now() + 10_000;
    while ((await snapshots.list()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [auto] = await snapshots.list();
    expect(auto).toMatchObject({ reason: 'auto', status: 'valid', schemaVersion: 1 });
    expect(auto.position).toBeGreaterThanOrEqual(5);
  });

  it('holds the exact state at its position, and stateAt replays only the events after it', async () => {
    await addLocation('a');
    await settle();
    const snap = await snapshots.take('manual');
    await addLocation('b');
    await settle();
    expect(snap).toMatchObject({ position: 2, counts: { datasets: 1, locations: 1, configurations: 0 }, status: 'valid' });
    expect(await locationIdsAt(2)).toEqual(['a']);
    expect(await locationIdsAt(3)).toEqual(['a', 'b']);
    const used = await t.app.get(StateAtService).use(3, (s) => ({ from: s.snapshotPosition, replayed: s.replayed }));
    expect(used).toEqual({ from: 2, replayed: 1 });
  });

  it('is listed only once its worker has finished it, with the live state\'s hash; stateAt meanwhile waits for it', async () => {
    await addLocation('a');
    await settle();
    const pending = await snapshots.begin('manual');
    expect(pending.position).toBe(2);
    expect(await snapshots.list()).toEqual([]);
    expect(await snapshots.hasAt(2)).toBe(true);
    const used = await t.app.get(StateAtService).use(2, (s) => ({ from: s.snapshotPosition, replayed: s.replayed }));
    expect(used).toEqual({ from: 2, replayed: 0 });
    const done = await pending.done;
    expect(await snapshots.list()).toEqual([done]);
    expect(done).toMatchObject({ position: 2, status: 'valid', counts: { datasets: 1, locations: 1, configurations: 0 } });
    expect(done.stateHash).toBe(hashState(t.app.get<Database.Database>(READ_MODEL_DB)));
    expect(readdirSync(snapshots.dir)).toEqual([(await snapshotRow(done.id)).file]);
  });

  it('keeps the newest snapshot decompressed (its worker\'s copy, or after a restart its file) for the first stateAt from it', async () => {
    const spares = () => readdirSync(join(t.dataDir, 'tmp')).filter((f) => f.startsWith('spare-'));
    await addLocation('a');
    await settle();
    const first = await snapshots.take('manual');
    expect(spares()).toEqual([`spare-${first.id}.sqlite`]);
    await addLocation('b');
    await settle();
    const second = await snapshots.take('manual');
    expect(spares()).toEqual([`spare-${second.id}.sqlite`]);
    expect(await locationIdsAt(3)).toEqual(['a', 'b']);
    expect(spares()).toEqual([]);

    const dataDir = t.dataDir;
    await t.app.close();
    const restarted = await startTestingApp(clock, dataDir);
    t = { ...restarted, close: async () => (await restarted.close(), rmSync(dataDir, { recursive: true, force: true })) };
    snapshots = t.app.get(SnapshotStore);
    const deadline = Date.now() + 10_000;
    while (spares().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(spares()).toEqual([`spare-${second.id}.sqlite`]);
    expect(await t.app.get(StateAtService).use(3, (s) => ({ from: s.snapshotPosition, replayed: s.replayed }))).toEqual({ from: 3, replayed: 0 });
    expect(await locationIdsAt(3)).toEqual(['a', 'b']);
  });

  it('ignores (and marks) a snapshot whose file was damaged, and one of a stale schema version; the log still answers', async () => {
    await addLocation('a');
    await settle();
    const damaged = await snapshots.take('manual');
    const file = join(snapshots.dir, (await snapshotRow(damaged.id)).file);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(file, bytes);
    await addLocation('b');
    expect(await locationIdsAt(3)).toEqual(['a', 'b']);
    expect((await snapshotRow(damaged.id)).status).toMatch(/^invalid: /);

    await settle();
    const stale = await snapshots.take('manual');
    await t.app.get(DataSource).getRepository(SnapshotEntity).update({ id: stale.id }, { schema_version: 0 });
    t.app.get(StateAtService).clear();
    const used = await t.app.get(StateAtService).use(3, (s) => s.snapshotPosition);
    expect(used).toBe(0);
  });

  it('compaction thins by the retention policy, never loses a state, and records what it removed', async () => {
    const taken: { id: string; hoursAgo: number }[] = [];
    const start = clock.now();
    for (const [i, hoursAgo] of [24 * 40, 24 * 10 + 2, 24 * 10 + 1, 31, 29.5, 2, 1].entries()) {
      clock.set(start - hoursAgo * HOUR);
      await addLocation(i === 0 ? 'a' : `c${i}`);
      await settle();
      taken.push({ id: (await snapshots.take('manual')).id, hoursAgo });
    }
    clock.set(start);
    const head = await store.headPosition();
    const before = await locationIdsAt(head - 3);
    const job = await t.app.get(SnapshotJobs).compact('tester', 'api');
    expect((await t.finished(job.id)).state).toBe('completed');
    const left = new Set((await snapshots.list()).map((s) => s.id));
    const kept = taken.filter((s) => left.has(s.id)).map((s) => s.hoursAgo);
    // all of the last day (2 h, 1 h); newest per hour for a week (31 h and 29.5 h ago fall in different hours);
    // newest per day for a month (of the two 10-day-old ones, the newer); 40 days: the week bucket.
    expect(kept).toEqual([24 * 40, 24 * 10 + 1, 31, 29.5, 2, 1]);
    t.app.get(StateAtService).clear();
    expect(await locationIdsAt(head - 3)).toEqual(before);
    const log = await collect(store.readAll({ fromPosition: head + 1 }));
    expect(log.map((e) => e.type)).toEqual(['RestorePointCreated', 'SnapshotsCompacted']);
    expect(log[1].data).toMatchObject({ kept: 6, removed: [{ snapshotId: taken[1].id }] });
  });
});

function dataset(id: string) {
  return {
    id,
    name: 'D',
    description: '',
    color: '#3b82f6',
    visible: true,
    source: null,
    columnMapping: {},
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
}
