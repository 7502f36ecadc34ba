import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/app-error';
import { ManualClock } from '../../common/clock';
import { GENESIS_HASH } from '../event-chain';
import { EventStore, RecordedEvent } from '../event-store';
import { WriteGate } from '../write-gate';
import { asAsync, collect, location, locationsAdded, settingsChanged } from '../../../test/support/event-fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The KurrentDB log against a real server (KurrentDB ≥ 25.1, e.g. the compose stack's:
 * KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false). No server can run on the development
 * machines, so without KURRENTDB_URL the suite says it is skipped. Each test writes under a
 * namespace of its own, so the suite runs again and again on one server.
 */
const url = process.env.KURRENTDB_URL;
if (!url) console.warn('KURRENTDB_URL is not set: the KurrentDB contract is skipped');
const describeWithServer = url ? describe : describe.skip;

const at = (s: number) => Date.parse('2026-03-01T10:00:00.000Z') + s * 1000;
const positions = (events: RecordedEvent[]) => events.map((e) => e.position);
const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? `${e.code} ${e.status}` : String(e)));

describeWithServer('KurrentDbEventStore (KURRENTDB_URL)', () => {
  let clock: ManualClock;
  let gate: WriteGate;
  let namespace: string;
  const opened: EventStore[] = [];
  const open = (): KurrentDbEventStore => {
    const store = new KurrentDbEventStore(url!, clock, gate, { namespace });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    clock = new ManualClock(at(0));
    gate = new WriteGate();
    namespace = `gv-test-${randomUUID().slice(0, 8)}.`;
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('assigns consecutive positions from 1 and per-stream revisions, and reads them back in order', async () => {
    const store = open();
    expect(await store.headPosition()).toBe(0);
    const a = await store.append('settings', [settingsChanged({ theme: 'dark' }), settingsChanged({ language: 'fr' })], 'no_stream');
    const b = await store.append('dataset-d1', [locationsAdded('d1', [location('x')])], 'no_stream');
    const c = await store.append('settings', [settingsChanged({ theme: 'light' })], a.nextExpectedRevision);
    expect([a, b, c].map((r) => [r.firstPosition, r.lastPosition, r.nextExpectedRevision])).toEqual([[1, 2, 1], [3, 3, 0], [4, 4, 2]]);
    const all = await collect(store.readAll());
    expect(positions(all)).toEqual([1, 2, 3, 4]);
    expect(all.map((e) => [e.stream, e.revision])).toEqual([['settings', 0], ['settings', 1], ['dataset-d1', 0], ['settings', 2]]);
    expect(all[2].data).toEqual({ datasetId: 'd1', locations: [location('x')] });
    expect(positions(await collect(store.readStream('settings', { fromRevision: 1 })))).toEqual([2, 4]);
    expect(await store.streamRevision('settings')).toBe(2);
    expect(await store.streamRevision('nothing-here')).toBe(-1);
    expect([await store.firstPosition(), await store.headPosition()]).toEqual([1, 4]);
  });

  it('refuses a stale expected revision or a moved head and writes nothing; validates events', async () => {
    const store = open();
    await store.append('settings', [settingsChanged({ theme: 'dark' })], 'no_stream');
    expect(await codeOf(store.append('settings', [settingsChanged({ theme: 'x' })], 'no_stream'))).toBe('EVENTS.WRONG_EXPECTED_REVISION 409');
    expect(await codeOf(store.append('settings', [settingsChanged({ theme: 'x' })], 5))).toBe('EVENTS.WRONG_EXPECTED_REVISION 409');
    expect(await codeOf(store.append('settings', [settingsChanged({ theme: 'x' })], 'any', { expectedHead: 0 }))).toBe('EVENTS.HEAD_MOVED 409');
    expect(await codeOf(store.append('settings', [{ type: 'SettingsChanged', data: { nope: 1 }, metadata: {} } as never]))).toBe('EVENTS.INVALID_EVENT 400');
    expect(await store.headPosition()).toBe(1);
  });

  it('answers a retried append as the first time (by event id) and refuses an id reused with other events', async () => {
    const store = open();
    const events = () => [settingsChanged({ theme: 'dark' }, 'ev-1'), settingsChanged({ language: 'fr' }, 'ev-2')];
    const first = await store.append('settings', events(), 'no_stream');
    expect(await store.append('settings', events(), 'no_stream')).toEqual(first);
    expect(await store.append('settings', events(), 'any')).toEqual(first);
    expect(await codeOf(store.append('settings', [settingsChanged({ theme: 'dark' }, 'ev-1'), settingsChanged({ x: 1 }, 'ev-9')], 'no_stream'))).toBe('EVENTS.DUPLICATE_EVENT_ID 409');
    expect(await store.headPosition()).toBe(2);
  });

  it('keeps recordedAt from decreasing and answers positionAt(time) as a prefix of the log', async () => {
    const store = open();
    clock.set(at(10));
    await store.append('settings', [settingsChanged({ a: 1 }), settingsChanged({ a: 2 })]);
    clock.set(at(5)); // the clock stepped back
    await store.append('settings', [settingsChanged({ a: 3 })]);
    clock.set(at(20));
    await store.append('settings', [settingsChanged({ a: 4 })]);
    const times = (await collect(store.readAll())).map((e) => Date.parse(e.recordedAt));
    expect(times).toEqual([at(10), at(10), at(10), at(20)]);
    expect(await store.positionAt(new Date(at(9)))).toBe(0);
    expect(await store.positionAt(new Date(at(10)))).toBe(3);
    expect(await store.positionAt(new Date(at(19)).toISOString())).toBe(3);
    expect(await store.positionAt(new Date(at(99)))).toBe(4);
    expect(positions(await collect(store.readAll({ toTime: new Date(at(15)) })))).toEqual([1, 2, 3]);
  });

  it('reads a log longer than a page within bounds, and its chain verifies with the heads chainHeadAt gives', async () => {
    const store = open();
    for (let i = 0; i < 3; i++) await store.append('settings', Array.from({ length: 400 }, (_, j) => settingsChanged({ n: i * 400 + j })));
    expect(positions(await collect(store.readAll({ fromPosition: 398, toPosition: 803 })))).toEqual(Array.from({ length: 406 }, (_, i) => 398 + i));
    expect(positions(await collect(store.readAll({ fromPosition: 1190, limit: 50 })))).toEqual(Array.from({ length: 11 }, (_, i) => 1190 + i));
    const report = await store.verifyChain({ witnesses: [{ ...(await store.chainHeadAt(600))!, source: 'a snapshot' }] });
    expect(report).toMatchObject({ ok: true, verifiedFrom: 1, verifiedThrough: 1200 });
    expect(report.headHash).toBe((await store.chainHeadAt(1200))!.hash);
    expect(await store.chainHeadAt(0)).toEqual({ position: 0, hash: GENESIS_HASH });
    expect(await store.chainHeadAt(1201)).toBeNull();
    const forged = await store.verifyChain({ witnesses: [{ position: 600, hash: GENESIS_HASH, source: 'a forged snapshot' }] });
    expect(forged).toMatchObject({ ok: false, firstBrokenPosition: 600 });
  });

  it('serializes appends from two processes: one order, no gap, no duplicate, one unbroken chain', async () => {
    const [one, two] = [open(), open()];
    await Promise.all(
      [one, two].map((store, w) => (async () => {
        for (let i = 0; i < 15; i++) await store.append(`dataset-w${w}`, [locationsAdded(`w${w}`, [location(`${w}-${i}`)])]);
      })()),
    );
    const all = await collect(one.readAll());
    expect(positions(all)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const w of [0, 1]) expect(all.filter((e) => e.stream === `dataset-w${w}`).map((e) => e.revision)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect((await two.verifyChain()).ok).toBe(true);
  });

  it('subscribes from a checkpoint: what is stored, then what is appended (by another process), each once and in order', async () => {
    const [store, other] = [open(), open()];
    await store.append('settings', Array.from({ length: 5 }, (_, i) => settingsChanged({ n: i })));
    const controller = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const batch of store.subscribe(3, { batchSize: 2, signal: controller.signal })) {
        expect(batch.length).toBeLessThanOrEqual(2);
        seen.push(...positions(batch));
        if (seen.length === 3) await other.append('settings', [settingsChanged({ n: 5 }), settingsChanged({ n: 6 })]);
        if (seen.length >= 5) controller.abort();
      }
    })();
    await done;
    expect(seen).toEqual([3, 4, 5, 6, 7]);
  });

  it('refuses what KurrentDB cannot do faithfully with EVENTS.UNSUPPORTED, and every write while the gate is closed', async () => {
    const store = open();
    await store.append('settings', [settingsChanged({ a: 1 })]);
    expect(await codeOf(store.removeUpTo(1))).toBe('EVENTS.UNSUPPORTED 501');
    expect(await codeOf(store.adoptHistory(asAsync([])))).toBe('EVENTS.UNSUPPORTED 501');
    gate.close(new AppError('FOLLOWER.READ_ONLY', 'read-only', 409));
    expect(await codeOf(store.append('settings', [settingsChanged({ a: 2 })]))).toBe('FOLLOWER.READ_ONLY 409');
    expect(await store.headPosition()).toBe(1);
  });

  it('answers audit queries in both directions with a keyset cursor', async () => {
    const store = open();
    await store.append('settings', [settingsChanged({ a: 1 })]);
    await store.append('dataset-d1', [locationsAdded('d1', [location('x')])]);
    await store.append('settings', [settingsChanged({ a: 2 })]);
    expect(positions(await store.query({ direction: 'backward', limit: 10 }))).toEqual([3, 2, 1]);
    expect(positions(await store.query({ direction: 'backward', limit: 10, afterPosition: 3, stream: 'settings' }))).toEqual([1]);
    expect(positions(await store.query({ direction: 'forward', limit: 1, afterPosition: 1 }))).toEqual([2]);
    expect(positions(await store.query({ direction: 'forward', limit: 10, datasetId: 'd1' }))).toEqual([2]);
  });
});
