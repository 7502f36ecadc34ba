import { PoolClient } from 'pg';
import { eventChainHasher } from '../event-chain';
import { ChainMismatchError, HeadMovedError, IncompleteHistoryError, LogNotEmptyError } from '../event-store.errors';
import { chainedEvent } from '../sqlite/chain-rows';
import { stagedHistoryPages } from '../sqlite/stage-history';
import { PgLogSql } from './postgres-sql';

/**
 * Copies a staged history (the staging format is the SQLite file HistoryStage writes,
 * sqlite/stage-history.ts: the history is staged first so a source that fails half-way, or is
 * slow, never holds the log's lock) into the log in one transaction under the lock, refusing
 * (nothing copied) unless the head is still `after`. Positions, ids, streams, revisions and
 * timestamps are kept verbatim; the chain goes on from the head's hash, a hash the history carried
 * must be the one computed, and the chain must end on `chainHead` when one is given. Runs on a
 * client with no transaction open; the caller rolls back on a throw.
 */
export async function adoptStaged(
  sql: PgLogSql,
  client: PoolClient,
  stagingPath: string,
  after: number,
  chainHead: () => string | null,
): Promise<{ adopted: number; xid: bigint }> {
  const chain = eventChainHasher();
  await client.query(sql.beginLocked);
  const head = await sql.lockedHead(client, '', null);
  if (head.position !== after) throw after === 0 ? new LogNotEmptyError(head.position) : new HeadMovedError(after, head.position);
  let previous = head.hash;
  let position = after;
  let recordedAt = head.recordedAt;
  for (const page of stagedHistoryPages(stagingPath, after)) {
    const hashes: string[] = [];
    for (const row of page) {
      if (row.position !== position + 1) throw new IncompleteHistoryError(row.position);
      previous = chain.hash(previous, chainedEvent(row));
      if (row.hash !== null && row.hash !== previous) throw new ChainMismatchError(row.position);
      hashes.push(previous);
      position = row.position;
      recordedAt = Math.max(recordedAt, row.recorded_at);
    }
    await sql.insertHistory(client, page, hashes, head.epoch);
  }
  const promised = chainHead();
  if (promised !== null && position > after && previous !== promised) throw new ChainMismatchError(position);
  if (position === after) {
    await client.query('ROLLBACK');
    return { adopted: 0, xid: head.xid };
  }
  await sql.moveHead(client, { position, hash: previous, recordedAt, epoch: head.epoch, xid: head.xid });
  await client.query('COMMIT');
  return { adopted: position - after, xid: head.xid };
}
