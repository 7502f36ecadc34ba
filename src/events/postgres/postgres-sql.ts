import { PoolClient } from 'pg';
import { EventRow } from '../sqlite/event-row';
import { checkedSchema, eventsSchemaSql } from './postgres-schema.sql';

/** The first key of the log's advisory lock (the second is the schema's hash): "GV". */
const LOCK_CLASS = 0x4756;

/** What an append reads under the lock. */
export interface LockedHead {
  position: number;
  hash: string;
  recordedAt: number;
  /** The epoch this append writes in (the head's, or the next one when transaction ids went back). */
  epoch: number;
  /** This transaction's id, assigned under the lock. */
  xid: bigint;
  /** The stream's last revision, -1 for none. */
  revision: number;
  /** The first event id is already in the log: a retry. */
  replay: boolean;
}

/**
 * A chunk of rows for one INSERT. The per-row columns travel as JSON arrays of strings, encoded
 * (JSON.stringify, native) before the log's lock is taken; the server zips them back with ROWS FROM
 * (json_array_elements_text returns each string exactly as given). Measured against text[] arrays
 * (node-pg escapes every element with two regular expressions, on the client, under the lock) and
 * a multi-row VALUES: about half the time per chunk (BENCHMARKS.md, postgres).
 */
export interface InsertRows {
  stream: string;
  recordedAt: number;
  epoch: number;
  firstPosition: number;
  firstRevision: number;
  /** JSON arrays of strings, one element per row. */
  eventIds: string;
  types: string;
  versions: string;
  data: string;
  metadata: string;
  hashes: string;
}

/** Where an append leaves the head. */
export interface MovedHead {
  position: number;
  hash: string;
  recordedAt: number;
  epoch: number;
  xid: bigint;
}

/** The write side's statements for one schema (the name is checked, then spliced as an identifier). */
export class PgLogSql {
  readonly schema: string;
  /** What NOTIFY wakes subscribers on, with the new head position as payload. */
  readonly channel: string;
  /**
   * BEGIN, then the log's lock: an advisory transaction lock, taken before the transaction has an
   * id (an advisory lock does not assign one) and held until COMMIT or ROLLBACK. Waiting for it is
   * bounded by lock_timeout; once held, every statement of the append by statement_timeout.
   */
  readonly beginLocked: string;

  constructor(
    schema: string,
    timeouts: { lockMs: number; statementMs: number },
  ) {
    this.schema = checkedSchema(schema);
    this.channel = `${this.schema}_appended`;
    this.beginLocked =
      `BEGIN; SET LOCAL lock_timeout = ${Math.floor(timeouts.lockMs)}; ${this.lockSql()}; ` +
      `SET LOCAL statement_timeout = ${Math.floor(timeouts.statementMs)}`;
  }

  lockSql(): string {
    return `SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext('${this.schema}'))`;
  }

  /**
   * Creates the tables if missing and opens a new epoch if transaction ids went back since the last
   * append (a restore into another cluster), in one transaction under the lock: every process may
   * run it at start-up at once.
   */
  async migrate(client: PoolClient): Promise<void> {
    await client.query(`BEGIN; ${this.lockSql()}`);
    try {
      await client.query(eventsSchemaSql(this.schema));
      await client.query(`UPDATE ${this.schema}.head SET epoch = epoch + 1, last_xid = pg_current_xact_id() WHERE last_xid >= pg_current_xact_id()`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Reads the head under the lock, giving this transaction its id there (ids then grow with positions). */
  async lockedHead(client: PoolClient, stream: string, firstEventId: string | null): Promise<LockedHead> {
    const s = this.schema;
    const { rows } = await client.query<{ position: number; hash: string; recorded_at: number; epoch: number; last_xid: string; xid: string; revision: number; replay: boolean }>({
      name: `${s}.lockedHead`,
      text: `SELECT h.position, h.hash, h.recorded_at, h.epoch, h.last_xid::text AS last_xid, pg_current_xact_id()::text AS xid,
               COALESCE((SELECT max(revision) FROM ${s}.events WHERE stream = $1), -1) AS revision,
               ($2::text IS NOT NULL AND EXISTS (SELECT 1 FROM ${s}.events WHERE event_id = $2)) AS replay
             FROM ${s}.head h`,
      values: [stream, firstEventId],
    });
    const h = rows[0];
    const xid = BigInt(h.xid);
    return {
      position: h.position,
      hash: h.hash,
      recordedAt: h.recorded_at,
      epoch: xid > BigInt(h.last_xid) ? h.epoch : h.epoch + 1,
      xid,
      revision: h.revision,
      replay: h.replay,
    };
  }

  /**
   * One statement for a chunk of rows at consecutive positions and revisions, prepared once. With
   * `head`, the same statement moves the head (the append's last chunk): one round trip fewer
   * under the lock.
   */
  async insertRows(client: PoolClient, r: InsertRows, head?: MovedHead): Promise<void> {
    const s = this.schema;
    const insert = `INSERT INTO ${s}.events (position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash, epoch)
             SELECT $1::bigint + u.n - 1, u.i, $2, $3::int + u.n::int - 1, u.t, u.v::int, u.d, u.m, $4, u.h, $5
             FROM ROWS FROM (json_array_elements_text($6::json), json_array_elements_text($7::json), json_array_elements_text($8::json),
                             json_array_elements_text($9::json), json_array_elements_text($10::json), json_array_elements_text($11::json))
                  WITH ORDINALITY AS u(i, t, v, d, m, h, n)`;
    const values = [r.firstPosition, r.stream, r.firstRevision, r.recordedAt, r.epoch, r.eventIds, r.types, r.versions, r.data, r.metadata, r.hashes];
    if (!head) {
      await client.query({ name: `${s}.insertRows`, text: insert, values });
      return;
    }
    await client.query({
      name: `${s}.insertRowsMoveHead`,
      text: `WITH ins AS (${insert}), ${this.moveHeadCte(12)} SELECT pg_notify($17, u.position::text) FROM u`,
      values: [...values, head.position, head.hash, head.recordedAt, head.epoch, head.xid.toString(), this.channel],
    });
  }

  /** Rows of an adopted history, each with its own stream and time, kept verbatim (JSON arrays, as insertRows). */
  async insertHistory(client: PoolClient, rows: EventRow[], hashes: string[], epoch: number): Promise<void> {
    const s = this.schema;
    const column = <K extends keyof EventRow>(key: K) => JSON.stringify(rows.map((r) => r[key]));
    await client.query({
      name: `${s}.insertHistory`,
      text: `INSERT INTO ${s}.events (position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash, epoch)
             SELECT u.p::bigint, u.i, u.s, u.r::int, u.t, u.v::int, u.d, u.m, u.a::bigint, u.h, $1
             FROM ROWS FROM (json_array_elements_text($2::json), json_array_elements_text($3::json), json_array_elements_text($4::json),
                             json_array_elements_text($5::json), json_array_elements_text($6::json), json_array_elements_text($7::json),
                             json_array_elements_text($8::json), json_array_elements_text($9::json), json_array_elements_text($10::json),
                             json_array_elements_text($11::json)) AS u(p, i, s, r, t, v, d, m, a, h)`,
      values: [epoch, column('position'), column('event_id'), column('stream'), column('revision'), column('type'), column('schema_version'), column('data'), column('metadata'), column('recorded_at'), JSON.stringify(hashes)],
    });
  }

  /** The head moves with the rows, in their transaction; subscribers are woken at its COMMIT. */
  async moveHead(client: PoolClient, h: MovedHead): Promise<void> {
    await client.query({
      name: `${this.schema}.moveHead`,
      text: `WITH ${this.moveHeadCte(1)} SELECT pg_notify($6, u.position::text) FROM u`,
      values: [h.position, h.hash, h.recordedAt, h.epoch, h.xid.toString(), this.channel],
    });
  }

  /** `u`: the head's UPDATE, its 5 values from parameter `$first` on. */
  private moveHeadCte(first: number): string {
    const p = (k: number) => `$${first + k}`;
    return `u AS (UPDATE ${this.schema}.head SET position = ${p(0)}, hash = ${p(1)}, recorded_at = ${p(2)}, epoch = ${p(3)}, last_xid = ${p(4)}::text::xid8 RETURNING position)`;
  }
}
