import { Pool } from 'pg';

/**
 * How readers of the PostgreSQL log see only a prefix of it that can never grow in the middle.
 *
 * Two mechanisms, each with its own guarantee (the approach of Emmett's and Marten's PostgreSQL
 * stores, event-driven-io/emmett `readLastMessageGlobalPosition`: `transaction_id <
 * pg_snapshot_xmin(pg_current_snapshot())`, order by (transaction_id, global_position)):
 *
 * 1. The head lock (postgres-append.ts). Every append takes the log's advisory transaction lock
 *    BEFORE its transaction has an id, then asks for its id (`pg_current_xact_id()`), reads `head`,
 *    writes positions head+1… and updates `head`, and keeps the lock until its COMMIT. So appends
 *    are one after another: positions are consecutive and gapless (a rolled-back append rolls back
 *    its `head` update too, and the next append takes the same positions: none was ever visible),
 *    the hash chain and `recordedAt` follow the position, `expectedHead` is checked against the true
 *    head, and transaction ids grow with the position (each id is assigned under the lock, after
 *    the previous holder's). Ordering by position IS ordering by (epoch, transaction_id, position).
 *
 * 2. The read horizon (this file). Readers (readAll, subscribe, query, headPosition, positionAt)
 *    see a row only once every transaction with a smaller id has ended: `transaction_id <
 *    pg_snapshot_xmin(pg_current_snapshot())`. A reader that saw position n can then never later
 *    find a position below n appear: guarantee 1 of the port, held by the snapshot alone, whatever a
 *    writer did. Why both: the lock gives the total order the chain needs, but its promise to
 *    readers rests on how PostgreSQL ends a transaction (visible before its locks are released);
 *    the horizon makes that promise checkable by the reader's own snapshot and keeps it for a
 *    writer that did not take the lock (an operator's INSERT, a future writer without the lock).
 *    Its cost: a transaction that keeps an id open anywhere in the cluster (any database) holds
 *    readers back until it ends. Ours are bounded (statement_timeout per append statement,
 *    idle_in_transaction_session_timeout on every session of the pool); the lag is reported by
 *    `horizonLag` for health.
 *
 * Epochs: a dump and restore into another cluster starts transaction ids again below the ones the
 * restored rows carry. Those rows committed long ago, so they are visible whatever their id: a row
 * is visible when its epoch is older than the head's, or when `head.last_xid` is not below the
 * snapshot's xmax (the ids went back and no append since has opened a new epoch: every row there is
 * from before the restore), or when its id is below the horizon. The first append after a restore
 * (or `open`) sees its own id not above `head.last_xid` and starts the next epoch.
 *
 * `readStream` and `streamRevision` read every committed row, without the horizon: they serve the
 * write side (an aggregate's state before an append), whose races the expected revision catches.
 */

/** A FROM item `z` (epoch, reset, xmin) for one statement's snapshot, over the schema's `head`. */
export function horizonFrom(schema: string): string {
  return `(SELECT h.epoch, h.last_xid >= pg_snapshot_xmax(pg_current_snapshot()) AS reset, pg_snapshot_xmin(pg_current_snapshot()) AS xmin FROM ${schema}.head h) z`;
}

/** The condition on an `events e` row joined with `horizonFrom`. */
export const VISIBLE = '(e.epoch < z.epoch OR z.reset OR e.transaction_id < z.xmin)';

/**
 * The last position readers see (0 for none): a backward walk of the primary key that stops at the
 * first visible row; rows past the horizon are only ever at the end of the log (the head lock).
 */
export function visibleHeadSql(schema: string): string {
  return `SELECT COALESCE((SELECT e.position FROM ${schema}.events e, ${horizonFrom(schema)} WHERE ${VISIBLE} ORDER BY e.position DESC LIMIT 1), 0)`;
}

/** How far readers are held back, for health. */
export interface HorizonLag {
  /** Transaction ids between the horizon and the next id to be assigned. */
  transactions: number;
  /** Age of the oldest transaction that holds an id (what holds the horizon), 0 when none. */
  seconds: number;
  /** Committed events readers cannot see yet. */
  events: number;
}

export async function horizonLag(pool: Pool, schema: string): Promise<HorizonLag> {
  const { rows } = await pool.query<{ transactions: string; seconds: number | null; events: string }>(
    `SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::numeric - pg_snapshot_xmin(pg_current_snapshot())::text::numeric)::text AS transactions,
            (SELECT extract(epoch FROM now() - min(xact_start))::float8 FROM pg_stat_activity WHERE backend_xid IS NOT NULL) AS seconds,
            (SELECT position FROM ${schema}.head) - (${visibleHeadSql(schema)}) AS events`,
  );
  return { transactions: Number(rows[0].transactions), seconds: Math.max(0, rows[0].seconds ?? 0), events: Number(rows[0].events) };
}
