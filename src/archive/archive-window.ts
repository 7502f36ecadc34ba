import { coverChain, epochsOf, listSegments } from './archive-catalog';
import { ArchivePoint } from './archive-history';
import { ArchiveObjectStore } from './archive-object-store';
import { readSegmentHeader } from './segment-reader';

/** The points a restore from the store alone can reach: its oldest and newest archived events. */
export interface ArchiveWindow {
  /** The epoch the newest point belongs to (the current line of history). */
  epoch: number;
  oldest: ArchivePoint;
  newest: ArchivePoint;
}

/**
 * The window of the archive a store holds, from its LIST and segment headers only (no payload read,
 * nothing verified: a preview does that). The newest point is the end of the newest epoch's chain
 * from position 1 (before a hole, if any); the oldest is the first event of the oldest epoch whose
 * chain starts at position 1, since a time target falls back to older epochs (ArchiveHistory.sourceFor).
 * Null when the store holds no restorable chain. Costs one LIST and one header read per epoch, plus one.
 */
export async function archiveWindow(store: ArchiveObjectStore): Promise<ArchiveWindow | null> {
  const all = await listSegments(store);
  const chains = epochsOf(all)
    .map((epoch) => ({ epoch, chain: coverChain(all.filter((s) => s.epoch === epoch), 1).segments }))
    .filter((c) => c.chain.length > 0);
  if (chains.length === 0) return null;
  const first = chains[0].chain[0];
  const newest = chains[chains.length - 1];
  const last = newest.chain[newest.chain.length - 1];
  const [head, tail] = await Promise.all([readSegmentHeader(store, first.key), readSegmentHeader(store, last.key)]);
  return { epoch: newest.epoch, oldest: { position: head.from, recordedAt: head.fromRecordedAt }, newest: { position: tail.to, recordedAt: tail.toRecordedAt } };
}
