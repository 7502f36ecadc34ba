import { ExpectedRevision } from '../event-store';
import { EventRow } from './event-row';

/**
 * Messages between SqliteEventStore (the main thread) and its log writer thread. The thread handles
 * them strictly in order, one transaction at a time: `begin`, any number of `rows`, then `commit`
 * or `rollback`; or `adopt`, a transaction of its own. Only `begin`, `commit`, `rollback`, `adopt`,
 * `close` and acknowledged `rows` are answered.
 */
export type WriterRequest =
  | {
      op: 'begin';
      id: number;
      stream: string;
      expected: ExpectedRevision;
      expectedHead: number | null;
      /** The first event's own id, if it brought one: a retried append is answered from the log. */
      firstEventId: string | null;
      /** The main thread's clock; the thread stamps max(now, the last recorded_at). */
      now: number;
    }
  | {
      op: 'rows';
      /** Answered once these rows are written: how the main thread keeps only a few batches in flight. */
      ack: number | null;
      /**
       * The rows' event ids and data, each joined into one string with where every row ends: one
       * string crosses the thread boundary as one copy, thousands of small ones cost a copy and an
       * allocation each (postMessage was a quarter of an append's main-thread time).
       */
      eventIds: string;
      eventIdEnds: number[];
      data: string;
      dataEnds: number[];
      /** Distinct (type, schema version, metadata JSON) of the batch, and which one each row has (a batch usually shares one). */
      kinds: Array<[type: string, schemaVersion: number, metadata: string]>;
      kindOf: number[];
    }
  | {
      op: 'adopt';
      id: number;
      /** A staged history (HistoryStage: the log's schema, positions from after + 1, no gap), copied whole. */
      stagingPath: string;
      /** The log's head the history continues (0: an empty log). */
      after: number;
      /** The chain hash the log must have at the history's last position, or null for no such check. */
      chainHead: string | null;
    }
  | { op: 'commit'; id: number }
  | { op: 'rollback'; id: number }
  | { op: 'close'; id: number };

/** Why a transaction was refused: mapped to the store's typed errors on the main thread. */
export type WriterFailure =
  | { kind: 'head-moved'; expected: number; actual: number }
  | { kind: 'wrong-revision'; stream: string; expected: ExpectedRevision; actual: number }
  | { kind: 'duplicate-event-id'; eventId: string }
  | { kind: 'replay'; row: EventRow }
  | { kind: 'log-not-empty'; head: number }
  /** An adopted history's row whose carried chain hash is not the one its content gives. */
  | { kind: 'chain-mismatch'; position: number }
  | { kind: 'sqlite'; code: string | null; message: string };

export type WriterReply =
  | {
      id: number;
      ok: true;
      firstPosition: number;
      lastPosition: number;
      nextExpectedRevision: number;
      recordedAt: number;
      /** An `adopt`'s answer only: how many events it copied. */
      adopted?: number;
    }
  | { id: number; ok: false; failure: WriterFailure };

export interface WriterSetup {
  /** Resolved by the main thread: the thread runs from source text and cannot resolve modules itself. */
  driver: string;
  file: string;
  pragmas: string[];
  /** Binds position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash in this order. */
  insertSql: string;
  eventColumns: string;
  /** `eventChainHasher`'s source text (the thread cannot import it). */
  chainHasherSource: string;
}
