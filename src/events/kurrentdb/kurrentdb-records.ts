import { jsonEvent, type EventData, type ResolvedEvent } from '@kurrent/kurrentdb-client';
import { validate as isUuid, v5 as uuidv5 } from 'uuid';
import { ChainedEvent } from '../event-chain';
import { EventRow } from '../sqlite/event-row';

/**
 * How a Globe Vault event is held in KurrentDB, and read back. The event's own fields become the
 * record's (stream, revision, type, JSON data); what KurrentDB has no field for travels in the
 * record's metadata as string properties (multi-stream appends take only string→string metadata):
 *
 *   gv.position      the event's position in the Globe Vault log (dense: 1, 2, 3, …; see below)
 *   gv.eventId       the event id as the application gave it (the record id is a UUID made from it)
 *   gv.schemaVersion the schema version `data` was validated against
 *   gv.recordedAt    epoch milliseconds, never decreasing along gv.position
 *   gv.metadata      the EventMetadata JSON text
 *   gv.hash          the chain hash at gv.position (event-chain.ts)
 *
 * The server adds properties of its own on read (`$schema.format`, `$schema.name`): ignored.
 */
export const HEAD_STREAM = 'globe-vault.head';
export const HEAD_EVENT_TYPE = 'GlobeVaultHead';

/**
 * Stream names in KurrentDB: the log's streams as the domain names them, after an optional
 * namespace (`test-1a2b.`) that lets several logs share one server (the integration specs do;
 * a deployment leaves it empty). Records of other namespaces are not this log's.
 */
export class KurrentNames {
  readonly head: string;
  constructor(readonly namespace = '') {
    this.head = `${namespace}${HEAD_STREAM}`;
  }
  stream(stream: string): string {
    return `${this.namespace}${stream}`;
  }
  /** The log's stream name for a KurrentDB stream of this namespace (never the head), else null. */
  ofStream(streamId: string): string | null {
    if (streamId === this.head || !streamId.startsWith(this.namespace)) return null;
    return streamId.slice(this.namespace.length);
  }
}

/**
 * One record of the head stream, written in the same atomic multi-stream append as the events it
 * covers: the append's positions `first..last`, the chain hash at `last`, its `recordedAt`. The
 * head stream is thus the log's index (head, position → $all position, time → position).
 */
export interface HeadRecord {
  first: number;
  last: number;
  hash: string;
  recordedAt: number;
  stream: string;
}

/** The namespace of the record ids made from application event ids that are not UUIDs (`ev-1`). */
const EVENT_ID_NAMESPACE = '6f1d1c8e-52a3-4c43-9a0b-3f6f3c1e7a55';

/** KurrentDB record ids are UUIDs: an event id that is one is kept, any other is mapped to a name-based UUID (v5). */
export const recordIdOf = (eventId: string): string => (isUuid(eventId) ? eventId.toLowerCase() : uuidv5(eventId, EVENT_ID_NAMESPACE));

/** An event as it will be written, its chain hash computed from its position and recordedAt. */
export function eventRecord(e: ChainedEvent, hash: string): EventData {
  return jsonEvent({
    id: recordIdOf(e.eventId),
    type: e.type,
    // The client serializes `data` with JSON.stringify: parsing our own JSON.stringify output and
    // serializing it again gives the same text, so the stored bytes are the text the hash covers.
    data: JSON.parse(e.data) as Record<string, unknown>,
    metadata: {
      'gv.position': String(e.position),
      'gv.eventId': e.eventId,
      'gv.schemaVersion': String(e.schemaVersion),
      'gv.recordedAt': String(e.recordedAt),
      'gv.metadata': e.metadata,
      'gv.hash': hash,
    },
  });
}

/**
 * The head record of an append, its id made from the append's first record id: a repeated write of
 * the same events repeats the head record's id too, so a server that dedupes by id treats both
 * streams alike (never the events deduped and a second head record written).
 */
export function headEventRecord(head: HeadRecord, firstRecordId: string): EventData {
  return jsonEvent({ id: uuidv5(`head:${firstRecordId}`, EVENT_ID_NAMESPACE), type: HEAD_EVENT_TYPE, data: { ...head }, metadata: {} });
}

/** A Globe Vault event read back: the row the SQLite store would hold (for the shared EventRowReader) and its hash. */
export interface StoredEvent {
  row: EventRow;
  hash: string;
}

/**
 * The stored event in a resolved record, or null for a record that is not a Globe Vault event: the
 * head stream's, a system event, another application's event in the same database.
 */
export function storedEventOf(resolved: ResolvedEvent, names: KurrentNames): StoredEvent | null {
  const e = resolved.event;
  const stream = e ? names.ofStream(e.streamId) : null;
  if (!e || stream === null) return null;
  const m = e.metadata;
  if (!m || m instanceof Uint8Array || typeof m !== 'object' || Array.isArray(m)) return null;
  const p = m as Record<string, unknown>;
  if (typeof p['gv.position'] !== 'string' || typeof p['gv.hash'] !== 'string') return null;
  const data = e.data instanceof Uint8Array ? Buffer.from(e.data).toString('utf8') : JSON.stringify(e.data);
  return {
    row: {
      position: Number(p['gv.position']),
      event_id: String(p['gv.eventId']),
      stream,
      revision: Number(e.revision),
      type: e.type,
      schema_version: Number(p['gv.schemaVersion']),
      data,
      metadata: String(p['gv.metadata']),
      recorded_at: Number(p['gv.recordedAt']),
    },
    hash: p['gv.hash'],
  };
}

/** The head record in a resolved record of the head stream. */
export function headRecordOf(resolved: ResolvedEvent): HeadRecord {
  const data = resolved.event?.data as HeadRecord | undefined;
  if (!data || typeof data.last !== 'number' || typeof data.hash !== 'string') throw new Error(`the ${HEAD_STREAM} stream holds a record that is not a head record`);
  return data;
}

/** The fields the chain covers, from a stored row: the same mapping as the SQLite log's. */
export { chainedEvent as chainedOf } from '../sqlite/chain-rows';
