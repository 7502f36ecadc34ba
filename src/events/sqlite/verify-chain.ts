import Database from 'better-sqlite3';
import { ChainReport, VerifyChainOptions } from '../event-store';
import { ChainHash, GENESIS_HASH } from '../event-chain';
import { EventRow } from './event-row';
import { ChainRow, chainedEvent } from './chain-rows';

const PAGE_ROWS = 1000;
/** As the store's own pages: a page of import events is tens of megabytes of JSON. */
const PAGE_CHARS = 4 * 1024 * 1024;

type HashedRow = EventRow & { hash: string | null };

/**
 * The SQLite walk behind `EventStore.verifyChain`: the stored text of every row, hashed again in
 * position order, a page at a time with the event loop let run between pages. The walk ends at the
 * first break: a missing position (a deleted row), a row without a hash, a hash that is not the one
 * its content and its predecessor give (an edited, moved or swapped row), or a witness that
 * disagrees.
 */
export async function verifyChain(db: Database.Database, hash: ChainHash, options: VerifyChainOptions = {}): Promise<ChainReport> {
  const bounds = db.prepare<[], { first: number | null; head: number | null }>('SELECT min(position) AS first, max(position) AS head FROM events').get();
  const first = bounds?.first ?? 0;
  const head = bounds?.head ?? 0;
  const witnesses = new Map((options.witnesses ?? []).map((w) => [w.position, w]));
  const report = (through: number, headHash: string, broken?: { at: number; reason: string }): ChainReport => ({
    ok: !broken,
    verifiedFrom: first,
    verifiedThrough: through,
    headHash,
    ...(broken ? { firstBrokenPosition: broken.at, reason: broken.reason } : {}),
  });

  const anchor = anchorOf(db, first);
  if (typeof anchor === 'string') return report(first - 1, GENESIS_HASH, { at: first, reason: anchor });
  const atAnchor = witnesses.get(anchor.position);
  if (atAnchor && atAnchor.hash !== anchor.hash) {
    return report(first - 1, anchor.hash, { at: first, reason: `the chain base at ${anchor.position} is not the head ${atAnchor.source} recorded there` });
  }
  const beyond = [...witnesses.values()].filter((w) => w.position > head).sort((a, b) => a.position - b.position)[0];

  const page = db.prepare<[number, number, number], HashedRow>(
    'SELECT position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?',
  );
  let previous = anchor.hash;
  let through = anchor.position;
  while (through < head) {
    if (options.signal?.aborted) throw new Error('chain verification cancelled');
    const rows = pageAfter(page, through, head);
    for (const row of rows) {
      const broken = checkRow(row, through + 1, previous, hash, witnesses);
      if (typeof broken === 'string') return report(through, previous, { at: through + 1, reason: broken });
      previous = broken.proven;
      through = row.position;
    }
    options.onProgress?.(through - first + 1, head - first + 1);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (beyond) return report(through, previous, { at: head + 1, reason: `the log ends at ${head}, but ${beyond.source} recorded a chain head at ${beyond.position}` });
  return report(through, previous);
}

/** The row's proven hash, or why it breaks the chain. */
function checkRow(row: HashedRow, expected: number, previous: string, hash: ChainHash, witnesses: Map<number, { hash: string; source: string }>): { proven: string } | string {
  if (row.position !== expected) return `position ${expected} is missing (the next event is at ${row.position})`;
  if (row.hash === null) return 'the event has no chain hash';
  const computed = hash(previous, chainedEvent(row));
  if (computed !== row.hash) return 'the stored hash is not the one the event and its predecessor give (the event or the one before it was altered)';
  const witness = witnesses.get(row.position);
  if (witness && witness.hash !== row.hash) return `the chain head here is not the one ${witness.source} recorded`;
  return { proven: computed };
}

/** Where the walk starts: genesis for a whole log, the recorded chain base for a compacted one. */
function anchorOf(db: Database.Database, first: number): ChainRow | string {
  if (first <= 1) return { position: 0, hash: GENESIS_HASH };
  const base = db.prepare<[], ChainRow>('SELECT position, hash FROM events_chain_base WHERE id = 1').get();
  if (!base) return `the log starts at ${first} but no chain base was recorded for its removed events`;
  if (base.position !== first - 1) return `the log starts at ${first} but its chain base is at ${base.position} (events are missing)`;
  return base;
}

/** Up to PAGE_ROWS rows after `after`, fewer once their data reaches PAGE_CHARS (always at least one). */
function pageAfter(page: Database.Statement<[number, number, number], HashedRow>, after: number, head: number): HashedRow[] {
  const rows: HashedRow[] = [];
  let chars = 0;
  for (const row of page.iterate(after, head, PAGE_ROWS)) {
    rows.push(row);
    chars += row.data.length;
    if (chars >= PAGE_CHARS) break;
  }
  return rows;
}
