import { ChainHash, ChainedEvent, GENESIS_HASH } from './event-chain';
import { ChainReport, VerifyChainOptions } from './event-store';

/** A stored event as the chain covers it, with the hash stored beside it (null: none). */
export type StoredLink = ChainedEvent & { hash: string | null };

/** What a walk reads from a log, whatever holds it. */
export interface ChainSource {
  /** The first and last stored positions (0 and 0 for an empty log), when the walk begins. */
  bounds(): Promise<{ first: number; head: number }>;
  /** The chain head recorded just before the first remaining event, if any (after a compaction). */
  chainBase(): Promise<{ position: number; hash: string } | undefined>;
  /** The next rows after `after` up to `head` in position order: at least one while any is left, bounded in memory. */
  page(after: number, head: number): Promise<StoredLink[]>;
}

/**
 * `EventStore.verifyChain` for any store: the stored text of every row hashed again in position
 * order, a page at a time, with the event loop let run between pages. The walk ends at the first
 * break: a missing position (a deleted row), a row without a hash, a hash that is not the one its
 * content and its predecessor give (an edited, moved or swapped row), or a witness that disagrees.
 */
export async function walkChain(source: ChainSource, hash: ChainHash, options: VerifyChainOptions = {}): Promise<ChainReport> {
  const { first, head } = await source.bounds();
  const witnesses = new Map((options.witnesses ?? []).map((w) => [w.position, w]));
  const report = (through: number, headHash: string, broken?: { at: number; reason: string }): ChainReport => ({
    ok: !broken,
    verifiedFrom: first,
    verifiedThrough: through,
    headHash,
    ...(broken ? { firstBrokenPosition: broken.at, reason: broken.reason } : {}),
  });

  const anchor = await anchorOf(source, first);
  if (typeof anchor === 'string') return report(first - 1, GENESIS_HASH, { at: first, reason: anchor });
  const atAnchor = witnesses.get(anchor.position);
  if (atAnchor && atAnchor.hash !== anchor.hash) {
    return report(first - 1, anchor.hash, { at: first, reason: `the chain base at ${anchor.position} is not the head ${atAnchor.source} recorded there` });
  }
  const beyond = [...witnesses.values()].filter((w) => w.position > head).sort((a, b) => a.position - b.position)[0];

  let previous = anchor.hash;
  let through = anchor.position;
  while (through < head) {
    if (options.signal?.aborted) throw new Error('chain verification cancelled');
    for (const row of await source.page(through, head)) {
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
function checkRow(row: StoredLink, expected: number, previous: string, hash: ChainHash, witnesses: Map<number, { hash: string; source: string }>): { proven: string } | string {
  if (row.position !== expected) return `position ${expected} is missing (the next event is at ${row.position})`;
  if (row.hash === null) return 'the event has no chain hash';
  const computed = hash(previous, row);
  if (computed !== row.hash) return 'the stored hash is not the one the event and its predecessor give (the event or the one before it was altered)';
  const witness = witnesses.get(row.position);
  if (witness && witness.hash !== row.hash) return `the chain head here is not the one ${witness.source} recorded`;
  return { proven: computed };
}

/** Where the walk starts: genesis for a whole log, the recorded chain base for a compacted one. */
async function anchorOf(source: ChainSource, first: number): Promise<{ position: number; hash: string } | string> {
  if (first <= 1) return { position: 0, hash: GENESIS_HASH };
  const base = await source.chainBase();
  if (!base) return `the log starts at ${first} but no chain base was recorded for its removed events`;
  if (base.position !== first - 1) return `the log starts at ${first} but its chain base is at ${base.position} (events are missing)`;
  return base;
}
