import { EventMetadata } from '../domain/event-metadata';
import { EventType, GlobeEvent } from '../domain/events';
import { ChainHead } from './event-chain';

/** An event about to be appended. `eventId` makes a retried append idempotent; the store mints one when absent. */
export type NewEvent = GlobeEvent & { eventId?: string; metadata: EventMetadata };

/**
 * An event validated against its schema and serialized ahead of its append, by `prepareEventData`
 * (for example while an import is staged, so its append only copies the JSON). `data` is exactly
 * what the store would have written for the event; whoever builds one from text (a staged file it
 * wrote itself) vouches that the text came from `prepareEventData`. Metadata is still checked on append.
 */
export interface PreparedEvent {
  readonly prepared: true;
  eventId?: string;
  type: EventType;
  /** The schema version `data` was validated against. */
  schemaVersion: number;
  data: string;
  metadata: EventMetadata;
}

/** What `append` takes: events to validate and serialize, or events prepared earlier. */
export type AppendableEvent = NewEvent | PreparedEvent;

/** An event as the log holds it, upcast to the current schema version of its type. */
export type RecordedEvent = GlobeEvent & {
  position: number;
  eventId: string;
  stream: string;
  /** 0-based index of the event within its stream. */
  revision: number;
  schemaVersion: number;
  metadata: EventMetadata;
  /** ISO 8601; never decreases along the position. */
  recordedAt: string;
};

/** `number`: the stream's last revision must be exactly this; `-1` and `'no_stream'`: the stream must not exist. */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface AppendOptions {
  /**
   * The whole log's head must still be here: checked inside the append's transaction, so a write
   * computed from the state at this position lands only if nothing was appended since
   * (`EVENTS.HEAD_MOVED`, 409, and nothing written, otherwise).
   */
  expectedHead?: number;
}

export interface AppendResult {
  firstPosition: number;
  lastPosition: number;
  /** The stream's revision after the append: pass it as the next expectedRevision. */
  nextExpectedRevision: number;
  recordedAt: string;
}

export interface ReadAllOptions {
  /** Inclusive; default 1, the first event. */
  fromPosition?: number;
  /** Inclusive upper bound by position. */
  toPosition?: number;
  /** Inclusive upper bound by time: the events with `recordedAt ≤ toTime`. */
  toTime?: Date | string;
  limit?: number;
}

/** Where an adopted history goes: into an empty log (the default), or on after the log's head. */
export interface AdoptOptions {
  /**
   * The head the history continues (a follower applying the archive): its first event must be at
   * `after + 1` and the log's head must still be `after` when it commits (EVENTS.HEAD_MOVED, and
   * nothing adopted, otherwise). Its chain hashes are chained to the log's hash at `after`.
   */
  after?: number;
  /**
   * The chain hash the log must have at the history's last position once adopted (what an archive
   * segment's header records): EVENTS.CHAIN_MISMATCH and nothing adopted otherwise. A history that
   * differs from the one the hash was computed over, at any position up to it, is thus refused.
   * A function is asked once the events were consumed (a segment's header arrives with its events).
   */
  chainHead?: string | null | (() => string | null);
}

export interface SubscribeOptions {
  /** Most events in one delivered batch. */
  batchSize?: number;
  /** Ends the subscription; the iterator then returns. */
  signal?: AbortSignal;
}

/** A filtered page of the log, for the audit trail. Every filter is optional and they combine with AND. */
export interface LogQuery {
  stream?: string;
  /** Events about this dataset, whatever stream wrote them (its own, a restore's). */
  datasetId?: string;
  types?: string[];
  actor?: string;
  correlationId?: string;
  fromTime?: string;
  toTime?: string;
  /** Keyset cursor: positions after this one (forward) or before it (backward). */
  afterPosition?: number;
  direction: 'forward' | 'backward';
  limit: number;
}

/** What a walk of the hash chain found (`EventStore.verifyChain`). */
export interface ChainReport {
  ok: boolean;
  /** The first position walked (the first event still in the log); 0 for an empty log. */
  verifiedFrom: number;
  /** The last position whose hash was proven, from the anchor on; verifiedFrom - 1 when none was. */
  verifiedThrough: number;
  /** The chain hash at verifiedThrough: with `ok`, the head of the log as verified. */
  headHash: string;
  firstBrokenPosition?: number;
  reason?: string;
}

export interface VerifyChainOptions {
  /**
   * Chain heads recorded elsewhere (snapshots): each one inside the walked range must be the hash
   * the walk computes there; one at the chain base must be the base; one past the head says events
   * were cut from the end (the chain alone cannot see that).
   */
  witnesses?: Array<ChainHead & { source: string }>;
  /** Called after each page with the events walked so far and the total. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * The one append-only log. Guarantees, for every adapter:
 * 1. Positions are strictly increasing and a reader never sees a gap that later fills.
 * 2. `recordedAt` never decreases along the position, so "the state at time T" is a prefix of the log.
 * 3. An append is atomic: all of its events or none, at consecutive positions.
 * 4. An append whose event ids are all already in the stream, in order, is a no-op that answers as
 *    the first one did (a retried request does not duplicate events).
 * 5. Every event is validated against its schema on append (a PreparedEvent when it was prepared)
 *    and upcast on read.
 * 6. Every event carries a hash chained to the previous event's (event-chain.ts), computed when its
 *    position is assigned, kept by an adopted history, and checked by `verifyChain`.
 * 7. While the write gate is closed (write-gate.ts: a follower, a superseded writer), `append` and
 *    `removeUpTo` refuse with its error and change nothing; `adoptHistory` (how a follower applies
 *    the archive, how a restore brings a history) is not gated.
 */
export abstract class EventStore {
  /**
   * Appends events to one stream. `events` may be a lazy iterable (a generator reading a staged
   * file): it is consumed inside the transaction, so a large import is atomic without being held
   * in memory. Throws `EVENTS.WRONG_EXPECTED_REVISION` (409) on a concurrency conflict.
   */
  abstract append(stream: string, events: Iterable<AppendableEvent>, expectedRevision?: ExpectedRevision, options?: AppendOptions): Promise<AppendResult>;
  /** The stream's events in revision order. */
  abstract readStream(stream: string, options?: { fromRevision?: number }): AsyncIterable<RecordedEvent>;
  /** The log in position order, read page by page: never loads the whole log. */
  abstract readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * Catch-up subscription: every event from `fromPosition` on, in order, in batches, first those
   * already stored and then new ones as they are appended (by this process or another one).
   */
  abstract subscribe(fromPosition: number, options?: SubscribeOptions): AsyncIterable<RecordedEvent[]>;
  /**
   * Calls `listener` with the new head right after each append (or adoption) THIS process commits,
   * until the answered function is called; never for another process's appends. A signal to look,
   * not a stream of events: a caller that must see everything still reads the log. An adapter that
   * cannot tell never calls it (this default), so callers keep a timer of their own as well.
   */
  onAppended(listener: (head: number) => void): () => void {
    void listener;
    return () => undefined;
  }
  /** One page of the log matching a filter, in the asked direction. */
  abstract query(query: LogQuery): Promise<RecordedEvent[]>;
  /**
   * Writes a whole log verbatim into an EMPTY store (positions, event ids, streams, revisions,
   * schema versions, timestamps as they were), atomically: the events are staged as they come and
   * committed in one transaction only once the iterable completed without error, so a source that
   * fails half-way (a damaged backup) leaves the store empty. `EVENTS.NOT_EMPTY` (409) otherwise.
   * With `options.after`, the same for a history that continues the log after its head.
   */
  abstract adoptHistory(events: AsyncIterable<RecordedEvent>, options?: AdoptOptions): Promise<number>;
  /**
   * adoptHistory for a history staged beforehand in a file of this store's own (`HistoryStage`,
   * stage-history.ts, complete: `finish` returned): the same checks and guarantee, without reading
   * the events again. The caller keeps the file.
   */
  abstract adoptStagedHistory(stagingPath: string, options?: AdoptOptions): Promise<number>;
  /** The position of the first event still in the log: 1, or past it once the log was compacted; 0 for an empty log. */
  abstract firstPosition(): Promise<number>;
  /**
   * Opt-in log compaction: removes the events at positions ≤ `position` from the live log, in one
   * transaction. Only for a caller that made sure they are held elsewhere (a verified backup with
   * the history) and that a base snapshot at `position` exists. Positions never change.
   */
  abstract removeUpTo(position: number): Promise<number>;
  /**
   * The chain hash at `position` (GENESIS_HASH at 0; after a compaction, also the base just before
   * the first remaining event), or null when the log holds no hash for it (removed, or past the head).
   * What snapshots, backup manifests and archive segments record as the chain head they cover.
   */
  abstract chainHeadAt(position: number): Promise<ChainHead | null>;
  /**
   * Walks the hash chain from the first remaining event (anchored at genesis, or at the chain base a
   * compaction recorded) to the head as it was when the walk began, page by page (memory stays
   * bounded), recomputing every hash from the stored text; reports the first position that breaks.
   */
  abstract verifyChain(options?: VerifyChainOptions): Promise<ChainReport>;
  /** The position of the last event; 0 for an empty log. */
  abstract headPosition(): Promise<number>;
  /** The last position whose `recordedAt ≤ time`; 0 when the log has nothing that old. */
  abstract positionAt(time: Date | string): Promise<number>;
  /** The stream's last revision; -1 when it has no events. */
  abstract streamRevision(stream: string): Promise<number>;
  abstract close(): Promise<void>;
}

export type { EventType };
