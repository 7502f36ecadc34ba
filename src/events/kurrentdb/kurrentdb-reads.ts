import { excludeSystemEvents, type KurrentDBClient, type ReadPosition } from '@kurrent/kurrentdb-client';
import { ChainReport, VerifyChainOptions } from '../event-store';
import { ChainHash, GENESIS_HASH } from '../event-chain';
import { KurrentDbHead } from './kurrentdb-head';
import { KurrentNames, StoredEvent, chainedOf, storedEventOf } from './kurrentdb-records';

/** Records asked of the server in one `readAll` call: every read of `$all` is bounded by it. */
export const PAGE_SIZE = 500;

/**
 * The Globe Vault events at positions `from..to` in order, read from `$all` a page of PAGE_SIZE
 * records at a time (memory stays bounded however long the log), system events left out by the
 * server's filter, the head stream's and other applications' records by `storedEventOf`. A gap
 * (a position missing between two events) throws: a reader never skips an event silently.
 */
export async function* storedEvents(client: KurrentDBClient, names: KurrentNames, head: KurrentDbHead, from: number, to: number): AsyncGenerator<StoredEvent> {
  let next = Math.max(1, from);
  if (next > to) return;
  let start: ReadPosition = await head.readFromFor(next);
  for (;;) {
    let advanced = false;
    // fromPosition is inclusive: the page after the first starts with the last record already seen (dropped below).
    for await (const resolved of client.readAll({ fromPosition: start, maxCount: PAGE_SIZE, filter: excludeSystemEvents() })) {
      const at = resolved.event?.position;
      if (at && (typeof start === 'string' || at.commit !== start.commit || at.prepare !== start.prepare)) {
        start = at;
        advanced = true;
      }
      const stored = storedEventOf(resolved, names);
      if (!stored || stored.row.position < next) continue;
      if (stored.row.position !== next) throw new Error(`the KurrentDB log has no event at position ${next} (the next one is at ${stored.row.position})`);
      if (next > to) return;
      yield stored;
      next += 1;
      if (next > to) return;
    }
    // The end of `$all` once a page brings nothing new (a short page is not taken for the end: a filtered read may stop short).
    if (!advanced) return;
  }
}

/** `EventStore.verifyChain` over `storedEvents`: every hash recomputed from the stored fields, up to the head when the walk began. */
export async function verifyKurrentChain(events: (to: number) => AsyncIterable<StoredEvent>, headPosition: number, hash: ChainHash, options: VerifyChainOptions = {}): Promise<ChainReport> {
  const first = headPosition > 0 ? 1 : 0;
  const witnesses = new Map((options.witnesses ?? []).map((w) => [w.position, w]));
  const report = (through: number, headHash: string, broken?: { at: number; reason: string }): ChainReport => ({
    ok: !broken,
    verifiedFrom: first,
    verifiedThrough: through,
    headHash,
    ...(broken ? { firstBrokenPosition: broken.at, reason: broken.reason } : {}),
  });
  const genesis = witnesses.get(0);
  if (genesis && genesis.hash !== GENESIS_HASH) return report(0, GENESIS_HASH, { at: 1, reason: `the chain base at 0 is not the head ${genesis.source} recorded there` });
  let previous = GENESIS_HASH;
  let through = 0;
  try {
    for await (const { row, hash: stored } of events(headPosition)) {
      if (options.signal?.aborted) throw new Error('chain verification cancelled');
      const computed = hash(previous, chainedOf(row));
      if (computed !== stored) return report(through, previous, { at: row.position, reason: 'the stored hash is not the one the event and its predecessor give (the event or the one before it was altered)' });
      const witness = witnesses.get(row.position);
      if (witness && witness.hash !== stored) return report(through, previous, { at: row.position, reason: `the chain head here is not the one ${witness.source} recorded` });
      previous = computed;
      through = row.position;
      if (through % PAGE_SIZE === 0) options.onProgress?.(through, headPosition);
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return report(through, previous, { at: through + 1, reason: (error as Error).message });
  }
  options.onProgress?.(through, headPosition);
  if (through < headPosition) return report(through, previous, { at: through + 1, reason: `the log's head is at ${headPosition} but its events end at ${through}` });
  const beyond = [...witnesses.values()].filter((w) => w.position > headPosition).sort((a, b) => a.position - b.position)[0];
  if (beyond) return report(through, previous, { at: headPosition + 1, reason: `the log ends at ${headPosition}, but ${beyond.source} recorded a chain head at ${beyond.position}` });
  return report(through, previous);
}
