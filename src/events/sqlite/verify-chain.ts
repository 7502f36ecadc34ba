import Database from 'better-sqlite3';
import { ChainReport, VerifyChainOptions } from '../event-store';
import { ChainHash } from '../event-chain';
import { StoredLink, walkChain } from '../chain-walk';
import { EventRow } from './event-row';
import { ChainRow, chainedEvent } from './chain-rows';

const PAGE_ROWS = 1000;
/** As the store's own pages: a page of import events is tens of megabytes of JSON. */
const PAGE_CHARS = 4 * 1024 * 1024;

type HashedRow = EventRow & { hash: string | null };

/** The SQLite walk behind `EventStore.verifyChain` (chain-walk.ts), over this connection's rows. */
export function verifyChain(db: Database.Database, hash: ChainHash, options: VerifyChainOptions = {}): Promise<ChainReport> {
  const page = db.prepare<[number, number, number], HashedRow>(
    'SELECT position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?',
  );
  return walkChain(
    {
      bounds: async () => {
        const b = db.prepare<[], { first: number | null; head: number | null }>('SELECT min(position) AS first, max(position) AS head FROM events').get();
        return { first: b?.first ?? 0, head: b?.head ?? 0 };
      },
      chainBase: async () => db.prepare<[], ChainRow>('SELECT position, hash FROM events_chain_base WHERE id = 1').get(),
      page: async (after, head) => pageAfter(page, after, head),
    },
    hash,
    options,
  );
}

/** Up to PAGE_ROWS rows after `after`, fewer once their data reaches PAGE_CHARS (always at least one). */
function pageAfter(page: Database.Statement<[number, number, number], HashedRow>, after: number, head: number): StoredLink[] {
  const rows: StoredLink[] = [];
  let chars = 0;
  for (const row of page.iterate(after, head, PAGE_ROWS)) {
    rows.push({ ...chainedEvent(row), hash: row.hash });
    chars += row.data.length;
    if (chars >= PAGE_CHARS) break;
  }
  return rows;
}
