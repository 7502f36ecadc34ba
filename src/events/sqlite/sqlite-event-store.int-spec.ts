import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../../common/clock';
import { asAsync, collect, location, locationsAdded, settingsChanged, tempDir } from '../../../test/support/event-fixtures';
import { SqliteEventStore } from './sqlite-event-store';
import { WriteGate } from '../write-gate';
import { AppError } from '../../common/app-error';
import { prepareEventData, preparedEvent } from '../serialize-new-event';

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

  it('assigns consecutive positions and per-stream revisions, and reads them back', async () => {
    const a = await store.append('settings', [settingsChanged({ theme: 'dark' }), settingsChanged({ language: 'fr' })], 'no_stream');
    const b = await store.append('dataset-1', [locationsAdded('1', [location('x')])], 'no_stream');
    expect(a).toMatchObject({ firstPosition: 1, lastPosition: 2, nextExpectedRevision: 1 });
    expect(b).toMatchObject({ firstPosition: 3, lastPosition: 3, nextExpectedRevision: 0 });
    const all = await collect(store.readAll());
    expect(all.map((e) => [e.position, e.stream, e.revision, e.type])).toEqual([
      [1, 'settings', 0, 'SettingsChanged'],
      [2, 'settings', 1, 'SettingsChanged'],
      [3, 'dataset-1', 0, 'LocationsAdded'],
    ]);
    expect(all[0].data).toEqual({ patch: { theme: 'dark' } });
    expect(all[0].metadata).toEqual({ actor: 'tester', source: 'api', correlationId: 'corr-1', causationId: null });
    expect((await collect(store.readStream('settings'))).map((e) => e.position)).toEqual([1, 2]);
    expect(await store.headPosition()).toBe(3);
    expect(await store.streamRevision('settings')).toBe(1);
    expect(await store.streamRevision('nope')).toBe(-1);
  });

  it('refuses an append at the wrong expected revision with a typed 409 and writes nothing', async () => {
    await store.append('settings', [settingsChanged({ theme: 'dark' })], 'no_stream');
    await expect(store.append('settings', [settingsChanged({ theme: 'light' })], 'no_stream')).rejects.toMatchObject({
      code: 'EVENTS.WRONG_EXPECTED_REVISION',
      status: 409,
    });
    await expect(store.append('settings', [settingsChanged({ theme: 'light' })], 5)).rejects.toMatchObject({ status: 409 });
    expect(await store.headPosition()).toBe(1);
    await expect(store.append('settings', [settingsChanged({ theme: 'light' })], 0)).resolves.toMatchObject({ lastPosition: 2 });
  });

  it('is atomic: one invalid event in a batch writes none of it', async () => {
    const bad = locationsAdded('1', [location('x', { latitude: 91 })]);
    await expect(store.append('dataset-1', [locationsAdded('1', [location('ok')]), bad])).rejects.toMatchObject({
      code: 'EVENTS.INVALID_EVENT',
    });
    expect(await store.headPosition()).toBe(0);
  });

  it('makes a retried append with the same event ids a no-op answering as the first', async () => {
    const batch = [settingsChanged({ theme: 'dark' }, 'e-1'), settingsChanged({ theme: 'light' }, 'e-2')];
    const first = await store.append('settings', batch, 'no_stream');
    const retry = await store.append('settings', batch, 'no_stream');
    expect(retry).toEqual(first);
    expect(await store.headPosition()).toBe(2);
    await expect(store.append('other', [settingsChanged({ theme: 'dark' }, 'e-1')])).rejects.toMatchObject({
      code: 'EVENTS.DUPLICATE_EVENT_ID',
    });
    await expect(store.append('settings', [settingsChanged({ theme: 'dark' }), settingsChanged({}, 'e-2')])).rejects.toMatchObject({
      code: 'EVENTS.DUPLICATE_EVENT_ID',
    });
    expect(await store.headPosition()).toBe(2);
  });

  it('never lets recordedAt go backwards, even when the clock does', async () => {
    await store.append('s', [settingsChanged({ theme: 'dark' })]);
    clock.set('2026-03-01T09:00:00.000Z');
    await store.append('s', [settingsChanged({ theme: 'light' })]);
    const [e1, e2] = await collect(store.readAll());
    expect(e2.recordedAt >= e1.recordedAt).toBe(true);
    expect(e2.recordedAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('finds the last position at or before a time, and reads the log up to a time', async () => {
    for (let i = 0; i < 50; i++) {
      clock.set(Date.parse('2026-03-01T10:00:00.000Z') + Math.floor(i / 3) * 1000);
      await store.append('s', [settingsChanged({ rotationSpeed: i % 10 })]);
    }
    // positions 1..50; events i with floor(i/3) = k are at second k, so second 5 holds positions 16..18
    expect(await store.positionAt('2026-03-01T10:00:05.000Z')).toBe(18);
    expect(await store.positionAt('2026-03-01T10:00:05.999Z')).toBe(18);
    expect(await store.positionAt('2026-03-01T09:59:59.999Z')).toBe(0);
    expect(await store.positionAt('2027-01-01T00:00:00.000Z')).toBe(50);
    const upTo = await collect(store.readAll({ toTime: '2026-03-01T10:00:05.000Z' }));
    expect(upTo.map((e) => e.position)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect((await collect(store.readAll({ fromPosition: 10, toPosition: 12 }))).map((e) => e.position)).toEqual([10, 11, 12]);
    expect((await collect(store.readAll({ fromPosition: 10, limit: 2 }))).map((e) => e.position)).toEqual([10, 11]);
  });

  it('reads pages past the page size without loading everything', async () => {
    const events = Array.from({ length: 2500 }, (_, i) => settingsChanged({ rotationSpeed: i % 10 }));
    await store.append('s', events);
    const all = await collect(store.readAll());
    expect(all.length).toBe(2500);
    expect(all.every((e, i) => e.position === i + 1)).toBe(true);
    expect((await collect(store.readStream('s', { fromRevision: 2490 }))).length).toBe(10);
  });

  it('subscribes: catches up, then receives appends from this process and from another one on the same file', async () => {
    await store.append('s', [settingsChanged({ theme: 'dark' }), settingsChanged({ theme: 'light' })]);
    const controller = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const batch of store.subscribe(2, { signal: controller.signal })) {
        seen.push(...batch.map((e) => e.position));
        if (seen.length >= 3) controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 20));
    await store.append('s', [settingsChanged({ theme: 'system' })]);
    const other = new SqliteEventStore(file(), clock);
    await other.append('s', [settingsChanged({ language: 'de' })]);
    await other.close();
    await done;
    expect(seen).toEqual([2, 3, 4]);
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

  it("adopts another log's whole history, only into an empty log", async () => {
    await store.append('dataset-1', [locationsAdded('1', [location('a')]), locationsAdded('1', [location('b')])]);
    await store.append('settings', [settingsChanged({ theme: 'dark' })]);
    const history = await collect(store.readAll());
    const other = new SqliteEventStore(join(dir.dir, 'other.sqlite'), clock);
    try {
      expect(await other.adoptHistory(asAsync(history))).toBe(3);
      expect(await collect(other.readAll())).toEqual(history);
      // The writer thread appends after it, at the next position and revision.
      const next = await other.append('settings', [settingsChanged({ language: 'fr' })], 0);
      expect(next).toMatchObject({ firstPosition: 4, nextExpectedRevision: 1 });
      await expect(other.adoptHistory(asAsync(history))).rejects.toMatchObject({ code: 'EVENTS.NOT_EMPTY' });
      expect(await other.headPosition()).toBe(4);
    } finally {
      await other.close();
    }
  });

  it('adopts a history that continues its head, chained on, and only when the chain ends on the hash promised', async () => {
    await store.append('dataset-1', [locationsAdded('1', [location('a')]), locationsAdded('1', [location('b')])]);
    await store.append('settings', [settingsChanged({ theme: 'dark' })]);
    const history = await collect(store.readAll());
    const heads = await Promise.all([1, 3].map(async (p) => (await store.chainHeadAt(p))!.hash));
    const other = new SqliteEventStore(join(dir.dir, 'other.sqlite'), clock);
    try {
      expect(await other.adoptHistory(asAsync(history.slice(0, 1)), { after: 0, chainHead: heads[0] })).toBe(1);
      // A history that does not start right after the head, or whose chain ends elsewhere, adopts nothing.
      await expect(other.adoptHistory(asAsync(history.slice(2)), { after: 1 })).rejects.toMatchObject({ code: 'EVENTS.INCOMPLETE_HISTORY' });
      await expect(other.adoptHistory(asAsync(history.slice(1)), { after: 0 })).rejects.toMatchObject({ code: 'EVENTS.NOT_EMPTY' });
      await expect(other.adoptHistory(asAsync(history.slice(1)), { after: 2 })).rejects.toMatchObject({ code: 'EVENTS.HEAD_MOVED' });
      await expect(other.adoptHistory(asAsync(history.slice(1)), { after: 1, chainHead: heads[0] })).rejects.toMatchObject({ code: 'EVENTS.CHAIN_MISMATCH' });
      expect(await other.headPosition()).toBe(1);
      expect(await other.adoptHistory(asAsync(history.slice(1)), { after: 1, chainHead: heads[1] })).toBe(2);
      expect(await collect(other.readAll())).toEqual(history);
      expect(await other.verifyChain()).toMatchObject({ ok: true, verifiedThrough: 3, headHash: heads[1] });
    } finally {
      await other.close();
    }
  });

  it('refuses appends and compactions while the write gate is closed, changing nothing; adoptions pass', async () => {
    await store.append('settings', [settingsChanged({ theme: 'dark' })]);
    const history = await collect(store.readAll());
    const gate = new WriteGate();
    const other = new SqliteEventStore(join(dir.dir, 'gated.sqlite'), clock, gate);
    try {
      gate.close(new AppError('FOLLOWER.READ_ONLY', 'reads only', 409));
      expect(await other.adoptHistory(asAsync(history))).toBe(1);
      await expect(other.append('settings', [settingsChanged({ theme: 'light' })])).rejects.toMatchObject({ code: 'FOLLOWER.READ_ONLY' });
      await expect(other.removeUpTo(1)).rejects.toMatchObject({ code: 'FOLLOWER.READ_ONLY' });
      expect(await collect(other.readAll())).toEqual(history);
      gate.reopen();
      expect(await other.append('settings', [settingsChanged({ theme: 'light' })])).toMatchObject({ firstPosition: 2 });
    } finally {
      await other.close();
    }
  });

  it('stores events durably: WAL with synchronous=FULL', () => {
    const db = new Database(file(), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
