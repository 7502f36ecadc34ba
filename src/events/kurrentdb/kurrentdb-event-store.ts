import { BACKWARDS, END, KurrentDBClient, StreamNotFoundError, excludeSystemEvents, type ReadPosition } from '@kurrent/kurrentdb-client';
import { Clock } from '../../common/clock';
import { ChainHead, GENESIS_HASH, eventChainHasher } from '../event-chain';
import {
  AdoptOptions,
  AppendOptions,
  AppendResult,
  AppendableEvent,
  ChainReport,
  EventStore,
  ExpectedRevision,
  LogQuery,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  VerifyChainOptions,
} from '../event-store';
import { NewEventSerializer, SerializedEvent } from '../serialize-new-event';
import { EventRowReader } from '../sqlite/event-row';
import { WriteGate } from '../write-gate';
import { appendToKurrent, streamRevisionOf } from './kurrentdb-append';
import { AppendTooLargeError, UnsupportedByEventStoreError } from './kurrentdb-errors';
import { KurrentDbHead } from './kurrentdb-head';
import { logQueryMatches } from './kurrentdb-query';
import { PAGE_SIZE, storedEvents, verifyKurrentChain } from './kurrentdb-reads';
import { KurrentNames, storedEventOf } from './kurrentdb-records';

/** The most JSON one append may carry, checked while it is serialized: an import larger than this is refused before it fills memory. */
const MAX_APPEND_CHARS = 64 * 1024 * 1024;

export interface KurrentDbEventStoreOptions {
  /** A prefix of every stream name, so that several logs share one server (tests); empty in a deployment. */
  namespace?: string;
}

/**
 * The log in KurrentDB (EventStoreDB's current name), through @kurrent/kurrentdb-client, for
 * EVENT_STORE=kurrentdb. Needs KurrentDB ≥ 25.1 (multi-stream appends).
 *
 * What a position is here. The ORDER of the log is the order of `$all` (KurrentDB's commit order):
 * reads and subscriptions walk `$all`. The NUMBER an event carries as its position is not its
 * `$all` commit position, for two reasons: an append's events share one commit position (they
 * differ only by prepare position), and the chain hash, which covers the position, is computed
 * before the server assigns one. Instead every append reads the head, numbers its events on
 * from it and writes them with a head record in one atomic multi-stream append that lands only
 * if the head did not move (kurrentdb-append.ts). Appends are thus serialized across processes,
 * their `$all` order is their head order, and positions are exactly what EventStore promises:
 * 1, 2, 3, … without gaps, consecutive within an append, recordedAt never decreasing. The head
 * stream maps a position (or a time) to the `$all` commit position to read from
 * (kurrentdb-head.ts): `readAll` bounds and `positionAt` are binary searches over it, then a
 * bounded `$all` read from there.
 *
 * Limits (README "Past one machine"): `removeUpTo`, `adoptHistory` and `adoptStagedHistory` answer
 * EVENTS.UNSUPPORTED (501); one append is one atomic write, at most MAX_APPEND_CHARS here and the
 * server's MaxAppendSize there (EVENTS.APPEND_TOO_LARGE, 413), so a large import needs a raised
 * `KURRENTDB_MAX_APPEND_SIZE` or another log; a retried append is recognised in its own stream
 * only (no index by event id); `query` (the audit trail) filters while it scans `$all`.
 */
export class KurrentDbEventStore extends EventStore {
  private readonly client: KurrentDBClient;
  private readonly names: KurrentNames;
  private readonly head: KurrentDbHead;
  private readonly chainHash = eventChainHasher().hash;
  private appendQueue: Promise<unknown> = Promise.resolve();

  constructor(
    connectionString: string,
    private readonly clock: Clock,
    private readonly gate?: WriteGate,
    options: KurrentDbEventStoreOptions = {},
  ) {
    super();
    this.client = KurrentDBClient.connectionString(connectionString);
    this.names = new KurrentNames(options.namespace);
    this.head = new KurrentDbHead(this.client, this.names);
  }

  /**
   * This process's appends one after another: they would only contend for the head with each other
   * (other processes' appends are serialized by the head stream, kurrentdb-append.ts).
   */
  append(stream: string, events: Iterable<AppendableEvent>, expectedRevision: ExpectedRevision = 'any', options: AppendOptions = {}): Promise<AppendResult> {
    const run = this.appendQueue.then(() => this.appendNow(stream, events, expectedRevision, options));
    this.appendQueue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(stream: string, events: Iterable<AppendableEvent>, expectedRevision: ExpectedRevision, options: AppendOptions): Promise<AppendResult> {
    this.gate?.check();
    const serializer = new NewEventSerializer();
    const serialized: SerializedEvent[] = [];
    let chars = 0;
    for (const event of events) {
      const s = serializer.serialize(event);
      chars += s.data.length + s.metadata.length;
      if (chars > MAX_APPEND_CHARS) throw new AppendTooLargeError(`${MAX_APPEND_CHARS} characters of JSON`);
      serialized.push(s);
    }
    return appendToKurrent({ client: this.client, names: this.names, head: this.head, clock: this.clock, hash: this.chainHash }, stream, serialized, expectedRevision, options);
  }

  async *readStream(stream: string, options: { fromRevision?: number } = {}): AsyncIterable<RecordedEvent> {
    const reader = new EventRowReader();
    try {
      // A stream read is bounded by the stream's own length (one aggregate); the client pages it.
      for await (const resolved of this.client.readStream(this.names.stream(stream), { fromRevision: BigInt(options.fromRevision ?? 0) })) {
        const stored = storedEventOf(resolved, this.names);
        if (stored) yield reader.read(stored.row);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let to = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    if (options.toTime !== undefined) to = Math.min(to, await this.positionAt(options.toTime));
    const from = options.fromPosition ?? 1;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    if (limit <= 0) return;
    const reader = new EventRowReader();
    for await (const stored of storedEvents(this.client, this.names, this.head, from, Math.min(to, from + limit - 1))) yield reader.read(stored.row);
  }

  /**
   * `subscribeToAll` from the `$all` position the head stream gives for `fromPosition` (the stored
   * checkpoint is a position; kurrentdb-head.ts maps it), system events left out by the server's
   * filter. The subscription catches up and then goes live in one stream, so no event is skipped
   * or repeated: positions before `fromPosition` are dropped, and one out of order throws.
   */
  async *subscribe(fromPosition: number, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    if (options.signal?.aborted) return;
    let next = Math.max(1, fromPosition);
    const batchSize = options.batchSize ?? PAGE_SIZE;
    const subscription = this.client.subscribeToAll({ fromPosition: await this.head.readFromFor(next), filter: excludeSystemEvents() });
    const stop = () => void subscription.unsubscribe().catch(() => undefined);
    options.signal?.addEventListener('abort', stop, { once: true });
    const reader = new EventRowReader();
    let batch: RecordedEvent[] = [];
    try {
      for await (const resolved of subscription) {
        const stored = storedEventOf(resolved, this.names);
        if (!stored || stored.row.position < next) continue;
        if (stored.row.position !== next) throw new Error(`the KurrentDB subscription skipped from ${next} to ${stored.row.position}`);
        batch.push(reader.read(stored.row));
        next += 1;
        // Deliver once the batch is full or nothing more is buffered (caught up, or between live appends).
        if (batch.length >= batchSize || subscription.readableLength === 0) {
          yield batch;
          batch = [];
        }
        if (options.signal?.aborted) return;
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  /** Filters while scanning `$all` (forward from the cursor, or backward from the head), page by page: memory stays bounded, time grows with how far matches are apart. */
  async query(q: LogQuery): Promise<RecordedEvent[]> {
    const reader = new EventRowReader();
    const found: RecordedEvent[] = [];
    if (q.limit <= 0) return found;
    const forward = q.direction === 'forward';
    let start: ReadPosition = forward ? await this.head.readFromFor((q.afterPosition ?? 0) + 1) : await this.backwardStart(q.afterPosition);
    let seen: number | null = null;
    for (;;) {
      let advanced = false;
      for await (const resolved of this.client.readAll({ fromPosition: start, maxCount: PAGE_SIZE, direction: forward ? 'forwards' : BACKWARDS, filter: excludeSystemEvents() })) {
        const at = resolved.event?.position;
        if (at && (typeof start === 'string' || at.commit !== start.commit || at.prepare !== start.prepare)) {
          start = at;
          advanced = true;
        }
        const stored = storedEventOf(resolved, this.names);
        if (!stored) continue;
        // A page starts at the last record of the one before: whatever is not past it was seen.
        if (seen !== null && (forward ? stored.row.position <= seen : stored.row.position >= seen)) continue;
        seen = stored.row.position;
        if (logQueryMatches(q, stored.row)) found.push(reader.read(stored.row));
        if (found.length >= q.limit) return found;
      }
      if (!advanced) return found;
    }
  }

  /** Where a backward scan for positions before `before` starts: after the append holding `before - 1` (END without a cursor). */
  private async backwardStart(before: number | undefined): Promise<ReadPosition> {
    if (before === undefined) return END;
    const next = await this.head.first((r) => r.first >= before);
    return next?.allPosition ?? END;
  }

  adoptHistory(_events: AsyncIterable<RecordedEvent>, _options?: AdoptOptions): Promise<number> {
    return Promise.reject(new UnsupportedByEventStoreError('adopting a history (restoring a backup, following an archive)', 'KurrentDB'));
  }

  adoptStagedHistory(_stagingPath: string, _options?: AdoptOptions): Promise<number> {
    return Promise.reject(new UnsupportedByEventStoreError('adopting a history (restoring a backup, following an archive)', 'KurrentDB'));
  }

  /** Never compacted (removeUpTo is unsupported): 1 once the log has an event. */
  async firstPosition(): Promise<number> {
    return (await this.headPosition()) > 0 ? 1 : 0;
  }

  removeUpTo(_position: number): Promise<number> {
    return Promise.reject(new UnsupportedByEventStoreError('log compaction', 'KurrentDB'));
  }

  async chainHeadAt(position: number): Promise<ChainHead | null> {
    if (position === 0) return { position, hash: GENESIS_HASH };
    const holding = await this.head.first((r) => r.last >= position);
    if (!holding) return null;
    if (holding.record.last === position) return { position, hash: holding.record.hash };
    for await (const stored of storedEvents(this.client, this.names, this.head, position, position)) return { position, hash: stored.hash };
    return null;
  }

  async verifyChain(options?: VerifyChainOptions): Promise<ChainReport> {
    const head = await this.headPosition();
    return verifyKurrentChain((to) => storedEvents(this.client, this.names, this.head, 1, to), head, this.chainHash, options);
  }

  async headPosition(): Promise<number> {
    return (await this.head.last())?.record.last ?? 0;
  }

  /** An append's events share its recordedAt: the answer is the last position of the last append at or before `time`. */
  async positionAt(time: Date | string): Promise<number> {
    const t = typeof time === 'string' ? Date.parse(time) : time.getTime();
    const after = await this.head.first((r) => r.recordedAt > t);
    if (!after) return this.headPosition();
    return after.record.first - 1;
  }

  async streamRevision(stream: string): Promise<number> {
    return streamRevisionOf({ client: this.client, names: this.names }, stream);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
