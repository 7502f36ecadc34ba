import { Pool, PoolClient } from 'pg';
import { eventChainHasher } from '../event-chain';
import { AppendOptions, AppendResult, AppendableEvent, ExpectedRevision } from '../event-store';
import { DuplicateEventIdError, HeadMovedError, WrongExpectedRevisionError } from '../event-store.errors';
import { NewEventSerializer } from '../serialize-new-event';
import { AppendEventIds } from '../sqlite/append-event-ids';
import { EventRow } from '../sqlite/event-row';
import { PgLogSql } from './postgres-sql';

/** Rows per INSERT, and characters of data: a million-row import is never held at once. */
const CHUNK_ROWS = 1000;
const CHUNK_CHARS = 4 * 1024 * 1024;

/** Events validated and serialized, not yet given positions (that needs the lock). */
class Chunk {
  readonly eventIds: string[] = [];
  readonly givenIds: Array<string | undefined> = [];
  readonly types: string[] = [];
  readonly versions: number[] = [];
  readonly data: string[] = [];
  readonly metadata: string[] = [];
  chars = 0;

  get size(): number {
    return this.data.length;
  }

  /** The columns as JSON arrays (see InsertRows): encoded once, before the lock for the first chunk. */
  encode(): { eventIds: string; types: string; versions: string; data: string; metadata: string } {
    return {
      eventIds: JSON.stringify(this.eventIds),
      types: JSON.stringify(this.types),
      versions: JSON.stringify(this.versions.map(String)),
      data: JSON.stringify(this.data),
      metadata: JSON.stringify(this.metadata),
    };
  }
}

/**
 * One append: a transaction on one pooled connection. The first chunk of events is validated and
 * serialized BEFORE the log's lock is taken, so that an append of up to CHUNK_ROWS events (the
 * usual case) holds the lock only for what needs it: the head, the checks, the chain hashes, the
 * INSERT and the COMMIT. A larger (lazy) append goes on chunk by chunk under the lock.
 */
export class PgAppend {
  private readonly serializer = new NewEventSerializer();
  private readonly ids = new AppendEventIds();
  private readonly chain = eventChainHasher();
  private readonly iterator: Iterator<AppendableEvent>;
  private done = false;

  constructor(
    private readonly sql: PgLogSql,
    events: Iterable<AppendableEvent>,
  ) {
    this.iterator = events[Symbol.iterator]();
  }

  /** Up to CHUNK_ROWS events (fewer once CHUNK_CHARS of data), validated: throws EVENTS.INVALID_EVENT. */
  nextChunk(): Chunk {
    const chunk = new Chunk();
    while (!this.done && chunk.size < CHUNK_ROWS && chunk.chars < CHUNK_CHARS) {
      const next = this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const s = this.serializer.serialize(next.value);
      chunk.givenIds.push(next.value.eventId);
      chunk.eventIds.push(s.eventId ?? this.ids.next());
      chunk.types.push(s.type);
      chunk.versions.push(s.schemaVersion);
      chunk.data.push(s.data);
      chunk.metadata.push(s.metadata);
      chunk.chars += s.data.length;
    }
    return chunk;
  }

  /**
   * Runs the append on `client` (no transaction open). Answers a retried append (its first event id
   * already in the log) as `replay` with every given event id, for the caller to check after the
   * transaction ended.
   */
  async run(
    client: PoolClient,
    stream: string,
    expected: ExpectedRevision,
    options: AppendOptions,
    now: () => number,
  ): Promise<{ result: AppendResult; xid: bigint } | { replay: Array<string | undefined> }> {
    const first = this.nextChunk();
    let encoded = first.encode();
    await client.query(this.sql.beginLocked);
    const head = await this.sql.lockedHead(client, stream, first.size > 0 ? (first.givenIds[0] ?? null) : null);
    if (options.expectedHead !== undefined && head.position !== options.expectedHead) throw new HeadMovedError(options.expectedHead, head.position);
    if (head.replay) {
      const replay = this.allGivenIds(first);
      await client.query('ROLLBACK');
      return { replay };
    }
    checkRevision(stream, expected, head.revision);
    const recordedAt = Math.max(now(), head.recordedAt);
    let position = head.position;
    let revision = head.revision;
    let hash = head.hash;
    let firstPosition = 0;
    for (let chunk = first; chunk.size > 0; ) {
      const chunkStart = { firstPosition: position + 1, firstRevision: revision + 1 };
      const hashes: string[] = new Array(chunk.size);
      const tails = new Map<string, string>();
      for (let i = 0; i < chunk.size; i++) {
        const kind = `${chunk.types[i]}\n${chunk.versions[i]}\n${chunk.metadata[i]}`;
        let tail = tails.get(kind);
        if (tail === undefined) tails.set(kind, (tail = this.chain.tail(stream, chunk.versions[i], recordedAt, chunk.types[i], chunk.metadata[i])));
        hashes[i] = hash = this.chain.link(hash, ++position, ++revision, chunk.eventIds[i], tail, chunk.data[i]);
      }
      if (firstPosition === 0) firstPosition = chunkStart.firstPosition;
      // The next chunk is read first: the last chunk's INSERT moves the head in the same statement.
      const next = this.nextChunk();
      const moved = next.size === 0 ? { position, hash, recordedAt, epoch: head.epoch, xid: head.xid } : undefined;
      await this.sql.insertRows(client, { stream, recordedAt, epoch: head.epoch, ...chunkStart, ...encoded, hashes: JSON.stringify(hashes) }, moved).catch(duplicateEventId);
      chunk = next;
      encoded = next.encode();
    }
    const result = { firstPosition, lastPosition: firstPosition === 0 ? 0 : position, nextExpectedRevision: revision, recordedAt: new Date(recordedAt).toISOString() };
    await client.query(firstPosition === 0 ? 'ROLLBACK' : 'COMMIT');
    return { result, xid: head.xid };
  }

  /** The event ids of the whole append (a retry is checked against all of them), consuming the rest. */
  private allGivenIds(first: Chunk): Array<string | undefined> {
    const ids = [...first.givenIds];
    for (let chunk = this.nextChunk(); chunk.size > 0; chunk = this.nextChunk()) ids.push(...chunk.givenIds);
    return ids;
  }
}

function checkRevision(stream: string, expected: ExpectedRevision, actual: number): void {
  if (expected === 'any') return;
  const want = expected === 'no_stream' ? -1 : expected;
  if (want !== actual) throw new WrongExpectedRevisionError(stream, expected, actual);
}

/** A unique violation on event_id (an id already in the log, not as a retry of this append). */
function duplicateEventId(error: unknown): never {
  const e = error as { code?: string; constraint?: string; detail?: string };
  if (e.code === '23505' && /event_id/.test(e.constraint ?? '')) {
    throw new DuplicateEventIdError(/\(event_id\)=\((.*)\)/.exec(e.detail ?? '')?.[1] ?? '(unknown)');
  }
  throw error;
}


/** A retried append's answer: every event id must already be in the log, in order, at consecutive positions of this stream. */
export async function replayedAppend(pool: Pool, schema: string, stream: string, eventIds: Array<string | undefined>): Promise<AppendResult> {
  const { rows } = await pool.query<EventRow>(`SELECT position, event_id, stream, revision, recorded_at FROM ${schema}.events WHERE event_id = ANY($1::text[])`, [
    eventIds.filter((id) => id !== undefined),
  ]);
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  const firstRow = byId.get(eventIds[0]!);
  if (!firstRow || firstRow.stream !== stream) throw new DuplicateEventIdError(eventIds[0] ?? '(none)');
  let lastRow = firstRow;
  eventIds.forEach((eventId, i) => {
    const row = eventId === undefined ? undefined : byId.get(eventId);
    if (!row || row.position !== firstRow.position + i || row.stream !== stream) throw new DuplicateEventIdError(eventId ?? '(none)');
    lastRow = row;
  });
  return { firstPosition: firstRow.position, lastPosition: lastRow.position, nextExpectedRevision: lastRow.revision, recordedAt: new Date(lastRow.recorded_at).toISOString() };
}
