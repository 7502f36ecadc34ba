import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../../common/clock';
import { collect, location, locationsAdded, tempDir } from '../../../test/support/event-fixtures';
import { SqliteEventStore } from './sqlite-event-store';
import { prepareEventData, preparedEvent } from '../serialize-new-event';

/**
 * What only the SQLite adapter has (prepared bytes, the writer thread's yields, WAL durability);
 * the port's guarantees are proven for every adapter by event-store.contract.int-spec.ts.
 */
describe('SqliteEventStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let store: SqliteEventStore;
  const file = () => join(dir.dir, 'events.sqlite');

  beforeEach(() => {
    dir = tempDir();
    clock = new ManualClock('2026-03-01T10:00:00.000Z');
    store = new SqliteEventStore(file(), clock);
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  it('appends a prepared event as the same bytes an unprepared one writes, and refuses one prepared for another schema version', async () => {
    const plain = locationsAdded('1', [location('x')]);
    const json = prepareEventData('LocationsAdded', plain.data as { datasetId: string; locations: ReturnType<typeof location>[] });
    await store.append('dataset-1', [plain, preparedEvent('LocationsAdded', json, plain.metadata)]);
    const raw = new Database(file(), { readonly: true }).prepare('SELECT data FROM events ORDER BY position').pluck().all();
    expect(raw).toEqual([json, json]);
    const [a, b] = await collect(store.readAll());
    expect(b.data).toEqual(a.data);
    expect(() => prepareEventData('LocationsAdded', { datasetId: '1', locations: [{ ...location('y'), latitude: 91 }] })).toThrow(/LocationsAdded/);
    await expect(store.append('dataset-1', [{ ...preparedEvent('LocationsAdded', json, plain.metadata), schemaVersion: 0 }])).rejects.toMatchObject({
      code: 'EVENTS.INVALID_EVENT',
    });
    expect(await store.headPosition()).toBe(2);
  });

  it('lets other callbacks run during a long append whose events are slow to make', async () => {
    // Each event takes ~4 ms of this thread to make: 250 of them hold it ~1 s. Without the append's
    // own yields the writer thread keeps up, every await finds its batch acknowledged, and nothing
    // else runs until the end (a restore's compensating events held the API 3.8 s this way).
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    function* slowEvents() {
      for (let i = 0; i < 250; i++) {
        busy(4);
        yield locationsAdded('1', [location(`slow-${i}`)]);
      }
    }
    // The longest this thread went without running a callback, while the append ran.
    let longestGap = 0;
    let last = performance.now();
    let running = true;
    const tick = () => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    await store.append('dataset-1', slowEvents());
    running = false;
    const took = performance.now() - started;
    expect(await store.headPosition()).toBe(250);
    expect(took).toBeGreaterThan(900);
    // Yields every 50 ms; the bound leaves room for a loaded machine and is far below the ~1 s hold.
    expect(longestGap).toBeLessThan(400);
  });

  it('stores events durably: WAL with synchronous=FULL', () => {
    const db = new Database(file(), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
