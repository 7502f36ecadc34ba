import {
  AppendRecordSizeExceededError,
  BACKWARDS,
  END,
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamNotFoundError,
  TransactionMaxSizeExceededError,
  WrongExpectedVersionError,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { Clock } from '../../common/clock';
import { ChainHash, ChainedEvent, GENESIS_HASH } from '../event-chain';
import { AppendOptions, AppendResult, ExpectedRevision } from '../event-store';
import { DuplicateEventIdError, HeadMovedError, WrongExpectedRevisionError } from '../event-store.errors';
import { SerializedEvent } from '../serialize-new-event';
import { AppendEventIds } from '../sqlite/append-event-ids';
import { AppendTooLargeError, LogContendedError } from './kurrentdb-errors';
import { KurrentDbHead } from './kurrentdb-head';
import { KurrentNames, eventRecord, headEventRecord, storedEventOf } from './kurrentdb-records';

/** Attempts at an append whose head another writer took first, before EVENTS.CONTENDED. */
const MAX_ATTEMPTS = 20;
/** How far back an `expectedRevision: 'any'` retry is looked for in its stream (KurrentDB has no index by event id). */
const REPLAY_WINDOW = 1000;

export interface AppendContext {
  client: KurrentDBClient;
  names: KurrentNames;
  head: KurrentDbHead;
  clock: Clock;
  hash: ChainHash;
}

/**
 * One append: the events and a head record (kurrentdb-records.ts) in ONE multi-stream append
 * (KurrentDB ≥ 25.1, atomic), with the head stream's expected revision the one read before
 * chaining and the aggregate stream's the caller's. So appends from every process are serialized
 * by the head stream: positions, hashes and recordedAt are computed from the head read, and the
 * append lands only if no other append landed since (else it is computed again on the new head,
 * up to MAX_ATTEMPTS). Both writes or neither: no half-written append, no head without its events.
 * `'any'` is turned into the stream's current revision, because the chain hash covers revisions.
 */
export async function appendToKurrent(
  ctx: AppendContext,
  stream: string,
  events: SerializedEvent[],
  expected: ExpectedRevision,
  options: AppendOptions,
): Promise<AppendResult> {
  const minted = new AppendEventIds();
  const eventIds = events.map((e) => e.eventId ?? minted.next());
  const retryable = events.length > 0 && events.every((e) => e.eventId !== undefined);
  if (events.length === 0) return { firstPosition: 0, lastPosition: 0, nextExpectedRevision: await streamRevisionOf(ctx, stream), recordedAt: new Date(ctx.clock.now()).toISOString() };
  // Looked for before writing, not only after a conflict: the server may answer a repeated write
  // of the same record ids as an idempotent success, which here would land a head record alone.
  if (retryable) {
    const replay = await findReplay(ctx, stream, eventIds, typeof expected === 'number' ? expected + 1 : expected === 'no_stream' ? 0 : null);
    if (replay) return replay;
  }
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const last = await ctx.head.last();
    const headPosition = last?.record.last ?? 0;
    if (options.expectedHead !== undefined && options.expectedHead !== headPosition) throw new HeadMovedError(options.expectedHead, headPosition);
    const current = typeof expected === 'number' ? expected : expected === 'no_stream' ? -1 : await streamRevisionOf(ctx, stream);
    const recordedAt = Math.max(ctx.clock.now(), last?.record.recordedAt ?? 0);
    let previous = last?.record.hash ?? GENESIS_HASH;
    const records = events.map((e, i) => {
      const chained: ChainedEvent = { ...e, position: headPosition + 1 + i, eventId: eventIds[i], stream, revision: current + 1 + i, recordedAt };
      previous = ctx.hash(previous, chained);
      return eventRecord(chained, previous);
    });
    const first = headPosition + 1;
    const lastPosition = headPosition + events.length;
    try {
      await ctx.client.multiStreamAppend([
        { streamName: ctx.names.head, events: [headEventRecord({ first, last: lastPosition, hash: previous, recordedAt, stream }, records[0].id)], expectedState: last ? last.revision : NO_STREAM },
        { streamName: ctx.names.stream(stream), events: records, expectedState: current < 0 ? NO_STREAM : BigInt(current) },
      ]);
      return { firstPosition: first, lastPosition, nextExpectedRevision: current + events.length, recordedAt: new Date(recordedAt).toISOString() };
    } catch (error) {
      if (error instanceof MaxAppendSizeExceededError || error instanceof TransactionMaxSizeExceededError || error instanceof AppendRecordSizeExceededError) {
        throw new AppendTooLargeError(`the server refused it: ${error.message}`);
      }
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Which stream moved? The head (another append landed first: chain again on it), else the aggregate's.
      const now = await ctx.head.last();
      if ((now?.revision ?? -1n) !== (last?.revision ?? -1n)) {
        if (options.expectedHead !== undefined) throw new HeadMovedError(options.expectedHead, now?.record.last ?? 0);
        continue;
      }
      if (expected === 'any') continue;
      if (retryable) {
        const replay = await findReplay(ctx, stream, eventIds, current + 1);
        if (replay) return replay;
      }
      throw new WrongExpectedRevisionError(stream, expected, await streamRevisionOf(ctx, stream));
    }
  }
  throw new LogContendedError(MAX_ATTEMPTS);
}

/** The stream's last revision; -1 when it has no events. */
export async function streamRevisionOf({ client, names }: Pick<AppendContext, 'client' | 'names'>, stream: string): Promise<number> {
  try {
    for await (const resolved of client.readStream(names.stream(stream), { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
      if (resolved.event) return Number(resolved.event.revision);
    }
    return -1;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return -1;
    throw error;
  }
}

/**
 * A retried append (EventStore guarantee 4): its first event id found in the stream — at `from`
 * when the caller expected a revision, else among the stream's last REPLAY_WINDOW events — and
 * every following id after it, in order: the first answer again. The first id there with other
 * events after it: EVENTS.DUPLICATE_EVENT_ID. Unlike the SQLite log, an id used in ANOTHER stream
 * is not found (KurrentDB has no index by event id).
 */
async function findReplay({ client, names }: AppendContext, stream: string, eventIds: string[], from: number | null): Promise<AppendResult | null> {
  const start = from ?? (await firstRevisionOfId({ client, names }, stream, eventIds[0]));
  if (start === null || start < 0) return null;
  let i = 0;
  let result: AppendResult | null = null;
  try {
    for await (const resolved of client.readStream(names.stream(stream), { fromRevision: BigInt(start), maxCount: eventIds.length })) {
      const stored = storedEventOf(resolved, names);
      if (!stored) break;
      if (stored.row.event_id !== eventIds[i]) {
        if (i === 0) return null;
        throw new DuplicateEventIdError(eventIds[0]);
      }
      const firstPosition: number = result?.firstPosition ?? stored.row.position;
      result = { firstPosition, lastPosition: stored.row.position, nextExpectedRevision: stored.row.revision, recordedAt: new Date(stored.row.recorded_at).toISOString() };
      i += 1;
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return null;
    throw error;
  }
  if (i === 0) return null;
  if (i < eventIds.length) throw new DuplicateEventIdError(eventIds[i - 1]);
  return result;
}

/** The revision of the event with this id among the stream's last REPLAY_WINDOW events, or null. */
async function firstRevisionOfId({ client, names }: Pick<AppendContext, 'client' | 'names'>, stream: string, eventId: string): Promise<number | null> {
  try {
    for await (const resolved of client.readStream(names.stream(stream), { fromRevision: END, direction: BACKWARDS, maxCount: REPLAY_WINDOW })) {
      const stored = storedEventOf(resolved, names);
      if (stored?.row.event_id === eventId) return stored.row.revision;
    }
    return null;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return null;
    throw error;
  }
}
