import { join } from 'node:path';
import { ManualClock } from '../../common/clock';
import { NewEvent } from '../event-store';
import { collect, location, locationsAdded, settingsChanged, tempDir } from '../../../test/support/event-fixtures';
import { SqliteEventStore } from './sqlite-event-store';

/** What the writer thread adds to the store's guarantees: batches, order, atomicity across threads, a live event loop. */
describe('SqliteEventStore writer thread', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  const file = () => join(dir.dir, 'events.sqlite');
  const many = (datasetId: string, n: number): NewEvent[] => Array.from({ length: n }, (_, i) => locationsAdded(datasetId, [location(`${datasetId}-${i}`)]));

  beforeEach(() => {
    dir = tempDir();
    store = new SqliteEventStore(file(), new ManualClock('2026-03-01T10:00:00.000Z'));
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  it('writes an append of many batches whole and in order', async () => {
    const result = await store.append('dataset-a', many('a', 1_234), 'no_stream');
    expect(result).toMatchObject({ firstPosition: 1, lastPosition: 1_234, nextExpectedRevision: 1_233 });
    const events = await collect(store.readAll());
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 1_234 }, (_, i) => i));
    expect(events.map((e) => (e.data as { locations: Array<{ id: string }> }).locations[0].id)).toEqual(
      Array.from({ length: 1_234 }, (_, i) => `a-${i}`),
    );
  });

  it('rolls back everything when the events run out with an error after several batches, and stays usable', async () => {
    function* failing(): Generator<NewEvent> {
      yield* many('a', 900);
      throw new Error('the staged file ended early');
    }
    await expect(store.append('dataset-a', failing())).rejects.toThrow('the staged file ended early');
    expect(await store.headPosition()).toBe(0);
    await store.append('dataset-a', many('a', 2), 'no_stream');
    expect(await store.headPosition()).toBe(2);
  });

  it('serializes concurrent appends of one process: each lands whole, at consecutive positions', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.append(`dataset-${id}`, many(id, 600), 'no_stream')));
    const spans = results.map((r) => [r.firstPosition, r.lastPosition]).sort((x, y) => x[0] - y[0]);
    expect(spans).toEqual([
      [1, 600],
      [601, 1200],
      [1201, 1800],
      [1801, 2400],
    ]);
    for (const r of results) {
      const events = await collect(store.readAll({ fromPosition: r.firstPosition, toPosition: r.lastPosition }));
      expect(new Set(events.map((e) => e.stream)).size).toBe(1);
    }
    // One of them now conflicts with the revision the others wrote, and writes nothing.
    await expect(store.append('dataset-a', [settingsChanged({ theme: 'dark' })], 'no_stream')).rejects.toMatchObject({
      code: 'EVENTS.WRONG_EXPECTED_REVISION',
    });
    expect(await store.headPosition()).toBe(2_400);
  });

  it('keeps the event loop turning while a large append is written', async () => {
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 0);
    try {
      const big = Array.from({ length: 400 }, (_, i) => locationsAdded('a', Array.from({ length: 50 }, (_, j) => location(`a-${i}-${j}`))));
      await store.append('dataset-a', big, 'no_stream');
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThan(1);
    expect(await store.headPosition()).toBe(400);
  });

  it('survives the death of its writer thread: the append in flight fails whole, the next one starts a new thread', async () => {
    await store.append('dataset-a', many('a', 3), 'no_stream');
    const writer = (store as unknown as { writer: { worker: { terminate(): Promise<number> } | null } }).writer;
    function* slow(): Generator<NewEvent> {
      yield* many('b', 300);
      void writer.worker?.terminate();
      yield* many('b', 300);
    }
    await expect(store.append('dataset-b', slow(), 'no_stream')).rejects.toThrow(/log writer thread/);
    expect(await store.headPosition()).toBe(3);
    const next = await store.append('dataset-b', many('b', 2), 'no_stream');
    expect(next).toMatchObject({ firstPosition: 4, lastPosition: 5 });
  });

  it('answers a retried append from the log, whatever batch its events fell in', async () => {
    const events = many('a', 700).map((e, i) => ({ ...e, eventId: `0190aaaa-0000-7000-8000-${String(i).padStart(12, '0')}` }));
    const first = await store.append('dataset-a', events, 'no_stream');
    const again = await store.append('dataset-a', events, 'no_stream');
    expect(again).toEqual(first);
    expect(await store.headPosition()).toBe(700);
  });
});
