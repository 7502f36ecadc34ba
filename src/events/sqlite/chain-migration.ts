import Database from 'better-sqlite3';
import { ChainHash, GENESIS_HASH } from '../event-chain';
import { EventRow } from './event-row';
import { CHAIN_BASE_SQL, ChainRow, chainedEvent } from './chain-rows';

/** Rows hashed per transaction: short enough that appends of other processes wait little. */
const MIGRATION_BATCH = 2000;

/**
 * Gives a log written before the hash chain its chain, at start-up, before anything appends:
 * adds the `hash` column if missing, then hashes the unhashed rows in position order, a batch per
 * `BEGIN IMMEDIATE` transaction. Idempotent and resumable: hashes are assigned in order, so the
 * hashed rows are always a prefix of the log; a run interrupted by a crash resumes after the last
 * hashed row, and a row another process hashed meanwhile is left as it is (the same function of the
 * same rows gives the same hash). A log compacted before the chain existed starts its chain at its
 * first remaining event from GENESIS_HASH, recorded as its chain base. Answers the rows it hashed.
 */
export function migrateChain(db: Database.Database, hash: ChainHash): number {
  addHashColumn(db);
  const last = db.prepare<[], { hash: string | null }>('SELECT hash FROM events ORDER BY position DESC LIMIT 1').get();
  if (!last || last.hash !== null) return 0;
  const hashedThrough = db.prepare<[], ChainRow>('SELECT position, hash FROM events WHERE hash IS NOT NULL ORDER BY position DESC LIMIT 1');
  const page = db.prepare<[number, number], EventRow & { hash: string | null }>(
    'SELECT position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  const setHash = db.prepare<[string, number]>('UPDATE events SET hash = ? WHERE position = ? AND hash IS NULL');
  let after = 0;
  let previous = GENESIS_HASH;
  const start = db.transaction(() => {
    const done = hashedThrough.get();
    if (done) {
      after = done.position;
      previous = done.hash;
      return;
    }
    const first = db.prepare<[], { p: number | null }>('SELECT min(position) AS p FROM events').get()?.p ?? 1;
    if (first > 1) db.prepare(CHAIN_BASE_SQL).run(first - 1, GENESIS_HASH);
  });
  start.immediate();
  let hashed = 0;
  const batch = db.transaction(() => {
    const rows = page.all(after, MIGRATION_BATCH);
    for (const row of rows) {
      previous = hash(previous, chainedEvent(row));
      if (row.hash === null) hashed += setHash.run(previous, row.position).changes;
      after = row.position;
    }
    return rows.length;
  });
  while (batch.immediate() > 0);
  return hashed;
}

function addHashColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(events)').all();
  if (columns.some((c) => c.name === 'hash')) return;
  try {
    db.exec('ALTER TABLE events ADD COLUMN hash TEXT');
  } catch (error) {
    // Another process on the same file added it between the look and the ALTER.
    if (!/duplicate column/i.test((error as Error).message)) throw error;
  }
}
