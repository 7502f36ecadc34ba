/**
 * The log's hash chain: each event's hash covers the previous event's hash and the event as stored,
 * so rewriting, removing, inserting or reordering any event changes every hash after it.
 *
 *   hash(n) = sha256( hex(hash(n-1)) ‖ canonical(event n) ),   hash(0) = 32 zero bytes (GENESIS_HASH)
 *
 * hashed as one UTF-8 string: the previous hash as its 64 lowercase hex characters, then
 * canonical(event):
 *
 *   position "\n" revision "\n" len(eventId) ":" eventId
 *   len(stream) ":" stream   schemaVersion "\n" recordedAt "\n"   len(type) ":" type   len(metadata) ":" metadata
 *   data
 *
 * where the numbers are decimal integers (recordedAt in epoch milliseconds, as stored), len(s) is
 * the UTF-8 byte length of s in decimal, and data and metadata are the exact JSON text the log
 * stores (never re-serialized: a verifier hashes the bytes it reads). Every string but the last is
 * length-prefixed, so no two events share an encoding; data comes last and needs no prefix, which
 * spares measuring the one large field. Hashes are written as 64 lowercase hex characters.
 * (The previous hash enters as hex, the one string node:crypto's one-shot `hash` takes: a third of
 * the cost of a Hash object per event, measured on the append path. The fields an append shares
 * across its rows come together, as `tail`, so the writer builds and measures them once per batch.)
 *
 * Besides the fields an auditor reads (position, type, data, metadata, recordedAt), the hash covers
 * eventId, stream, revision and schemaVersion: each changes what replay does with the event (the
 * schema version picks the upcaster that reads `data`; the stream and revision place it in an
 * aggregate's history and its optimistic concurrency; the event id makes retries idempotent), so
 * an edit to any of them must show.
 *
 * The function is built by `eventChainHasher()` and uses nothing but its own `require`: the log
 * writer thread runs it from its source text (see log-writer-thread.ts), the verifier from here.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event the chain covers, as the log stores them. */
export interface ChainedEvent {
  position: number;
  eventId: string;
  stream: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  /** Epoch milliseconds. */
  recordedAt: number;
}

/** hash(n), in hex, from hash(n-1) in hex. */
export type ChainHash = (previous: string, e: ChainedEvent) => string;

export interface ChainHasher {
  hash: ChainHash;
  /** The part of canonical(event) that the rows of one append with one type and metadata share. */
  tail(stream: string, schemaVersion: number, recordedAt: number, type: string, metadata: string): string;
  /** `hash`, from a `tail` made for the event's stream, schema version, recordedAt, type and metadata. */
  link(previous: string, position: number, revision: number, eventId: string, tail: string, data: string): string;
}

export function eventChainHasher(): ChainHasher {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { hash } = require('node:crypto') as typeof import('node:crypto');
  const len = (s: string) => Buffer.byteLength(s, 'utf8');
  const tail: ChainHasher['tail'] = (stream, schemaVersion, recordedAt, type, metadata) =>
    `${len(stream)}:${stream}${schemaVersion}\n${recordedAt}\n${len(type)}:${type}${len(metadata)}:${metadata}`;
  const link: ChainHasher['link'] = (previous, position, revision, eventId, t, data) =>
    hash('sha256', `${previous}${position}\n${revision}\n${len(eventId)}:${eventId}${t}${data}`);
  return {
    tail,
    link,
    hash: (previous, e) => link(previous, e.position, e.revision, e.eventId, tail(e.stream, e.schemaVersion, e.recordedAt, e.type, e.metadata), e.data),
  };
}

/** The head of the chain at a position: the hash of the event there (GENESIS_HASH at position 0). */
export interface ChainHead {
  position: number;
  hash: string;
}
