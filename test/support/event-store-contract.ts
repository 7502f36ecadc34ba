import { ManualClock } from '../../src/common/clock';
import { AppError } from '../../src/common/app-error';
import { GENESIS_HASH } from '../../src/events/event-chain';
import { EventStore, NewEvent, RecordedEvent } from '../../src/events/event-store';
import { WriteGate } from '../../src/events/write-gate';
import { asAsync, collect, location, locationsAdded, settingsChanged, testMetadata } from './event-fixtures';

/** One log of an adapter under test, opened by the contract's factory for each test. */
export interface ContractLog {
  store: EventStore;
  /** Another store on the same log with its own connections (what another process would open). */
  openSameLog(): Promise<EventStore>;
  /** A store on a new, empty log. */
  openEmptyLog(gate?: WriteGate): Promise<EventStore>;
  /** Removes every log this one opened (files, schemas). Stores are closed by the suite. */
  cleanup(): Promise<void>;
}

/** Opens a fresh log whose store uses `clock` and `gate`; or a string: why this adapter is skipped here. */
export type ContractFactory = ((clock: ManualClock, gate: WriteGate) => Promise<ContractLog>) | string;

const at = (s: number) => Date.parse('2026-03-01T10:00:00.000Z') + s * 1000;
const positions = (events: RecordedEvent[]) => events.map((e) => e.position);
const withActor = (event: NewEvent, actor: string, correlationId = 'corr-1'): NewEvent => ({ ...event, metadata: testMetadata({ actor, correlationId }) });

/**
 * The EventStore port's guarantees (src/events/event-store.ts, 1–7), for every adapter: a new
 * adapter is one `eventStoreContract(name, factory)` line (event-store.contract.int-spec.ts).
 */
export function eventStoreContract(name: string, factory: ContractFactory): void {
  if (typeof factory === 'string') {
    console.warn(`EventStore contract: ${name} SKIPPED: ${factory}`);
    describe.skip(`EventStore contract: ${name} (skipped: ${factory})`, () => it('runs when configured', () => undefined));
    return;
  }
  describe(`EventStore contract: ${name}`, () => {
    let clock: ManualClock;
    let gate: WriteGate;
    let log: ContractLog;
    let store: EventStore;
    const opened: EventStore[] = [];
    const open = async (make: () => Promise<EventStore>) => {
      const s = await make();
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      clock = new ManualClock(at(0));
      gate = new WriteGate();
      log = await factory(clock, gate);
      store = log.store;
    });
    afterEach(async () => {
      for (const s of [store, ...opened.splice(0)]) await s.close();
      await log.cleanup();
    });

    it('assigns consecutive positions and per-stream revisions, and reads them back in order', async () => {
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
      expect(all[0].metadata).toEqual(testMetadata());
      expect(positions(await collect(store.readStream('settings')))).toEqual([1, 2]);
      expect(positions(await collect(store.readStream('settings', { fromRevision: 1 })))).toEqual([2]);
      expect(await store.headPosition()).toBe(3);
      expect(await store.streamRevision('settings')).toBe(1);
      expect(await store.streamRevision('nope')).toBe(-1);
    });

    it('never lets recordedAt go backwards, even when the clock does', async () => {
      await store.append('s', [settingsChanged({ theme: 'dark' })]);
      clock.set(at(-3600));
      const second = await store.append('s', [settingsChanged({ theme: 'light' })]);
      const [e1, e2] = await collect(store.readAll());
      expect(e2.recordedAt >= e1.recordedAt).toBe(true);
      expect([e2.recordedAt, second.recordedAt]).toEqual([new Date(at(0)).toISOString(), new Date(at(0)).toISOString()]);
    });

    it('refuses a wrong expected revision or a moved head with a typed 409, writing nothing', async () => {
      await store.append('settings', [settingsChanged({ theme: 'dark' })], 'no_stream');
      await expect(store.append('settings', [settingsChanged({ theme: 'light' })], 'no_stream')).rejects.toMatchObject({ code: 'EVENTS.WRONG_EXPECTED_REVISION', status: 409 });
      await expect(store.append('settings', [settingsChanged({ theme: 'light' })], 5)).rejects.toMatchObject({ code: 'EVENTS.WRONG_EXPECTED_REVISION' });
      await expect(store.append('other', [settingsChanged({ theme: 'light' })], 'any', { expectedHead: 0 })).rejects.toMatchObject({ code: 'EVENTS.HEAD_MOVED', status: 409 });
      expect(await store.headPosition()).toBe(1);
      await expect(store.append('settings', [settingsChanged({ theme: 'light' })], 0, { expectedHead: 1 })).resolves.toMatchObject({ lastPosition: 2, nextExpectedRevision: 1 });
    });

    it('is atomic: one invalid event writes none of its append', async () => {
      const bad = locationsAdded('1', [location('x', { latitude: 91 })]);
      await expect(store.append('dataset-1', [locationsAdded('1', [location('ok')]), bad])).rejects.toMatchObject({ code: 'EVENTS.INVALID_EVENT' });
      expect(await store.headPosition()).toBe(0);
      expect(await store.append('dataset-1', [locationsAdded('1', [location('ok')])])).toMatchObject({ firstPosition: 1 });
    });

    it('makes a retried append with the same event ids a no-op answering as the first', async () => {
      const batch = [settingsChanged({ theme: 'dark' }, 'e-1'), settingsChanged({ theme: 'light' }, 'e-2')];
      const first = await store.append('settings', batch, 'no_stream');
      expect(await store.append('settings', batch, 'no_stream')).toEqual(first);
      expect(await store.headPosition()).toBe(2);
      // The retry left nothing behind that holds the log: another connection appends at once after it.
      const other = await open(() => log.openSameLog());
      expect(await other.append('third', [settingsChanged({ theme: 'system' })])).toMatchObject({ firstPosition: 3 });
      await expect(store.append('other', [settingsChanged({ theme: 'dark' }, 'e-1')])).rejects.toMatchObject({ code: 'EVENTS.DUPLICATE_EVENT_ID' });
      await expect(store.append('settings', [settingsChanged({ theme: 'dark' }), settingsChanged({}, 'e-2')])).rejects.toMatchObject({ code: 'EVENTS.DUPLICATE_EVENT_ID' });
      expect(await store.headPosition()).toBe(3);
    });

    it('finds the last position at or before a time, and reads the log up to a time, from a position, up to a limit', async () => {
      for (let i = 0; i < 30; i++) {
        clock.set(at(Math.floor(i / 3)));
        await store.append('s', [settingsChanged({ rotationSpeed: i % 10 })]);
      }
      // second k holds positions 3k+1..3k+3
      expect(await store.positionAt(new Date(at(5)).toISOString())).toBe(18);
      expect(await store.positionAt(new Date(at(5) + 999))).toBe(18);
      expect(await store.positionAt(new Date(at(-1)).toISOString())).toBe(0);
      expect(await store.positionAt('2027-01-01T00:00:00.000Z')).toBe(30);
      expect(positions(await collect(store.readAll({ toTime: new Date(at(5)).toISOString() })))).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
      expect(positions(await collect(store.readAll({ fromPosition: 10, toPosition: 12 })))).toEqual([10, 11, 12]);
      expect(positions(await collect(store.readAll({ fromPosition: 10, limit: 2 })))).toEqual([10, 11]);
    });

    it('reads a log larger than its pages, in order, whole', async () => {
      await store.append('s', Array.from({ length: 1500 }, (_, i) => settingsChanged({ rotationSpeed: i % 10 })));
      await store.append('d', Array.from({ length: 1200 }, (_, i) => locationsAdded('d', [location(`l-${i}`, { name: 'x'.repeat(900) })])));
      const all = await collect(store.readAll());
      expect(all.length).toBe(2700);
      expect(all.every((e, i) => e.position === i + 1)).toBe(true);
      expect((await collect(store.readStream('s', { fromRevision: 1490 }))).length).toBe(10);
      expect((await collect(store.readStream('d'))).length).toBe(1200);
    });

    it('subscribes: catches up, then receives appends from this store and from another connection to the same log, each once, in order', async () => {
      await store.append('s', [settingsChanged({ theme: 'dark' }), settingsChanged({ theme: 'light' })]);
      const other = await open(() => log.openSameLog());
      const controller = new AbortController();
      const seen: number[] = [];
      const done = (async () => {
        for await (const batch of store.subscribe(2, { signal: controller.signal, batchSize: 7 })) {
          seen.push(...positions(batch));
          if (seen.length >= 1 + 1 + 20) controller.abort();
        }
      })();
      await store.append('s', [settingsChanged({ theme: 'system' })]);
      for (let i = 0; i < 10; i++) await other.append('o', [settingsChanged({ language: 'de' }), settingsChanged({ language: 'fr' })]);
      await done;
      expect(seen).toEqual(Array.from({ length: 22 }, (_, i) => i + 2));
    });

    it('adopts a whole history only into an empty log, and one continuing its head only when the head and chain match', async () => {
      await store.append('dataset-1', [locationsAdded('1', [location('a')]), locationsAdded('1', [location('b')])]);
      await store.append('settings', [settingsChanged({ theme: 'dark' })]);
      const history = await collect(store.readAll());
      const heads = await Promise.all([1, 3].map(async (p) => (await store.chainHeadAt(p))!.hash));
      const whole = await open(() => log.openEmptyLog());
      expect(await whole.adoptHistory(asAsync(history))).toBe(3);
      expect(await collect(whole.readAll())).toEqual(history);
      expect(await whole.append('settings', [settingsChanged({ language: 'fr' })], 0)).toMatchObject({ firstPosition: 4, nextExpectedRevision: 1 });
      await expect(whole.adoptHistory(asAsync(history))).rejects.toMatchObject({ code: 'EVENTS.NOT_EMPTY' });

      const follower = await open(() => log.openEmptyLog());
      expect(await follower.adoptHistory(asAsync(history.slice(0, 1)), { after: 0, chainHead: heads[0] })).toBe(1);
      await expect(follower.adoptHistory(asAsync(history.slice(2)), { after: 1 })).rejects.toMatchObject({ code: 'EVENTS.INCOMPLETE_HISTORY' });
      await expect(follower.adoptHistory(asAsync(history.slice(1)), { after: 2 })).rejects.toMatchObject({ code: 'EVENTS.HEAD_MOVED' });
      await expect(follower.adoptHistory(asAsync(history.slice(1)), { after: 1, chainHead: heads[0] })).rejects.toMatchObject({ code: 'EVENTS.CHAIN_MISMATCH' });
      const edited = history.slice(1).map((e) => ({ ...e, metadata: { ...e.metadata, actor: 'mallory' } }));
      await expect(follower.adoptHistory(asAsync(edited), { after: 1, chainHead: () => heads[1] })).rejects.toMatchObject({ code: 'EVENTS.CHAIN_MISMATCH' });
      expect(await follower.headPosition()).toBe(1);
      expect(await follower.adoptHistory(asAsync(history.slice(1)), { after: 1, chainHead: () => heads[1] })).toBe(2);
      expect(await collect(follower.readAll())).toEqual(history);
      expect(await follower.verifyChain()).toMatchObject({ ok: true, verifiedFrom: 1, verifiedThrough: 3, headHash: heads[1] });
    });

    it('keeps a hash chain: chainHeadAt, verifyChain, and a witness past the end', async () => {
      await store.append('s', [settingsChanged({ theme: 'dark' }), settingsChanged({ theme: 'light' })]);
      await store.append('d', [locationsAdded('d', [location('a')])]);
      expect(await store.chainHeadAt(0)).toEqual({ position: 0, hash: GENESIS_HASH });
      const head = await store.chainHeadAt(3);
      expect(head?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.chainHeadAt(4)).toBeNull();
      const progress: number[] = [];
      expect(await store.verifyChain({ onProgress: (done) => progress.push(done) })).toEqual({ ok: true, verifiedFrom: 1, verifiedThrough: 3, headHash: head!.hash });
      expect(progress[progress.length - 1]).toBe(3);
      const cut = await store.verifyChain({ witnesses: [{ position: 5, hash: 'ab'.repeat(32), source: 'snapshot s1' }] });
      expect(cut).toMatchObject({ ok: false, firstBrokenPosition: 4, verifiedThrough: 3 });
      expect(cut.reason).toMatch(/snapshot s1/);
    });

    it('removes the front of the log, keeping positions, the chain base and the chain', async () => {
      for (let i = 0; i < 5; i++) await store.append('s', [settingsChanged({ rotationSpeed: i })]);
      const base = await store.chainHeadAt(3);
      expect(await store.firstPosition()).toBe(1);
      expect(await store.removeUpTo(3)).toBe(3);
      expect(await store.firstPosition()).toBe(4);
      expect(await store.chainHeadAt(3)).toEqual(base);
      expect(await store.chainHeadAt(2)).toBeNull();
      expect(await store.append('s', [settingsChanged({ theme: 'dark' })])).toMatchObject({ firstPosition: 6, nextExpectedRevision: 5 });
      expect(positions(await collect(store.readAll()))).toEqual([4, 5, 6]);
      expect(await store.verifyChain({ witnesses: [{ ...base!, source: 'base snapshot' }] })).toMatchObject({ ok: true, verifiedFrom: 4, verifiedThrough: 6 });
    });

    it('filters the log for the audit trail, forward and backward with a keyset cursor', async () => {
      await store.append('dataset-a', [withActor(locationsAdded('a', [location('1')]), 'ann', 'c-1')]);
      clock.set(at(10));
      await store.append('settings', [withActor(settingsChanged({ theme: 'dark' }), 'bob', 'c-2')]);
      clock.set(at(20));
      await store.append('dataset-b', [withActor(locationsAdded('b', [location('2')]), 'ann', 'c-3'), withActor(locationsAdded('b', [location('3')]), 'ann', 'c-3')]);
      const q = (extra: object) => store.query({ direction: 'forward', limit: 10, ...extra }).then(positions);
      expect(await q({})).toEqual([1, 2, 3, 4]);
      expect(await q({ stream: 'settings' })).toEqual([2]);
      expect(await q({ datasetId: 'b' })).toEqual([3, 4]);
      expect(await q({ types: ['SettingsChanged'] })).toEqual([2]);
      expect(await q({ actor: 'ann' })).toEqual([1, 3, 4]);
      expect(await q({ correlationId: 'c-3', actor: 'ann' })).toEqual([3, 4]);
      expect(await q({ fromTime: new Date(at(10)).toISOString(), toTime: new Date(at(15)).toISOString() })).toEqual([2]);
      expect(await q({ afterPosition: 2, limit: 1 })).toEqual([3]);
      expect(await store.query({ direction: 'backward', limit: 2 }).then(positions)).toEqual([4, 3]);
      expect(await store.query({ direction: 'backward', limit: 10, afterPosition: 3, actor: 'ann' }).then(positions)).toEqual([1]);
    });

    it('refuses appends and compactions while the write gate is closed, changing nothing; adoptions pass', async () => {
      await store.append('settings', [settingsChanged({ theme: 'dark' })]);
      const history = await collect(store.readAll());
      const followerGate = new WriteGate();
      const follower = await open(() => log.openEmptyLog(followerGate));
      followerGate.close(new AppError('FOLLOWER.READ_ONLY', 'reads only', 409));
      expect(await follower.adoptHistory(asAsync(history))).toBe(1);
      await expect(follower.append('settings', [settingsChanged({ theme: 'light' })])).rejects.toMatchObject({ code: 'FOLLOWER.READ_ONLY' });
      await expect(follower.removeUpTo(1)).rejects.toMatchObject({ code: 'FOLLOWER.READ_ONLY' });
      expect(await collect(follower.readAll())).toEqual(history);
      followerGate.reopen();
      expect(await follower.append('settings', [settingsChanged({ theme: 'light' })])).toMatchObject({ firstPosition: 2 });
      gate.close(new AppError('ARCHIVE.SUPERSEDED', 'superseded', 409));
      await expect(store.append('settings', [settingsChanged({ theme: 'light' })])).rejects.toMatchObject({ code: 'ARCHIVE.SUPERSEDED' });
      expect(await store.headPosition()).toBe(1);
    });
  });
}
