import { Pool, PoolClient } from 'pg';
import { StoredLink, walkChain } from '../chain-walk';
import { ChainHash, ChainHead, GENESIS_HASH } from '../event-chain';
import { ChainReport, VerifyChainOptions } from '../event-store';
import { chainedEvent } from '../sqlite/chain-rows';
import { EventRow } from '../sqlite/event-row';
import { PAGE_ROWS } from './postgres-reads';
import { PgLogSql } from './postgres-sql';

/** The chain hash at `position` (as the SQLite store: genesis at 0, the chain base after a compaction, else null). */
export async function pgChainHeadAt(pool: Pool, schema: string, position: number): Promise<ChainHead | null> {
  if (position === 0) return { position, hash: GENESIS_HASH };
  const { rows } = await pool.query<{ hash: string }>(`SELECT hash FROM ${schema}.events WHERE position = $1`, [position]);
  if (rows[0]) return { position, hash: rows[0].hash };
  const base = (await pool.query<ChainHead>(`SELECT position, hash FROM ${schema}.chain_base WHERE id = 1`)).rows[0];
  return base?.position === position ? base : null;
}

/** The chain walk (chain-walk.ts) over every committed row: gapless under the lock, so no horizon is needed. */
export function verifyPgChain(pool: Pool, schema: string, hash: ChainHash, options?: VerifyChainOptions): Promise<ChainReport> {
  return walkChain(
    {
      bounds: async () => (await pool.query<{ first: number; head: number }>(`SELECT COALESCE(min(position), 0) AS first, COALESCE(max(position), 0) AS head FROM ${schema}.events`)).rows[0],
      chainBase: async () => (await pool.query<ChainHead>(`SELECT position, hash FROM ${schema}.chain_base WHERE id = 1`)).rows[0],
      page: async (after, head): Promise<StoredLink[]> => {
        const { rows } = await pool.query<EventRow & { hash: string }>(
          `SELECT position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash FROM ${schema}.events
           WHERE position > $1 AND position <= $2 ORDER BY position LIMIT ${PAGE_ROWS}`,
          [after, head],
        );
        return rows.map((row) => ({ ...chainedEvent(row), hash: row.hash }));
      },
    },
    hash,
    options,
  );
}

/**
 * Log compaction under the log's lock, in one transaction with the chain base it leaves (as the
 * SQLite store). The head row stays: positions are never reused.
 */
export async function removeUpToIn(sql: PgLogSql, client: PoolClient, position: number): Promise<number> {
  const s = sql.schema;
  await client.query(sql.beginLocked);
  const at = (await client.query<{ hash: string }>(`SELECT hash FROM ${s}.events WHERE position = $1`, [position])).rows[0];
  const removed = (await client.query(`DELETE FROM ${s}.events WHERE position <= $1`, [position])).rowCount ?? 0;
  if (removed > 0 && at) {
    await client.query(`INSERT INTO ${s}.chain_base (id, position, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET position = $1, hash = $2`, [position, at.hash]);
  }
  await client.query('COMMIT');
  return removed;
}
