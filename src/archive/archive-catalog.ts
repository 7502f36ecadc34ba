import { ArchiveObjectStore } from './archive-object-store';
import { ARCHIVE_PREFIX, SegmentRange, epochPrefix, parseSegmentKey } from './segment-key';

export interface CatalogSegment extends SegmentRange {
  key: string;
  size: number;
  modifiedAt: string;
}

/** The fewest segments that cover positions from `from` on without a hole, and where that stops. */
export interface SegmentChain {
  segments: CatalogSegment[];
  /** The last position the chain covers (from - 1 when it covers nothing). */
  end: number;
  /** The first position no segment holds although later ones exist (a hole), or null. */
  gapAt: number | null;
}

/** The segments a LIST of the store finds (one epoch, or all), in key order; other keys are ignored. */
export async function listSegments(store: ArchiveObjectStore, epoch?: number): Promise<CatalogSegment[]> {
  const objects = await store.list(epoch === undefined ? ARCHIVE_PREFIX : epochPrefix(epoch));
  const segments: CatalogSegment[] = [];
  for (const o of objects) {
    const range = parseSegmentKey(o.key);
    if (range) segments.push({ ...range, key: o.key, size: o.size, modifiedAt: o.modifiedAt });
  }
  return segments;
}

export const epochsOf = (segments: CatalogSegment[]): number[] => [...new Set(segments.map((s) => s.epoch))].sort((a, b) => a - b);

/**
 * Greedy interval cover: from `from`, repeatedly take the segment that holds the next position and
 * reaches furthest. Optimal in the number of objects, and indifferent to overlaps (a merged segment
 * beside the ones it replaced before they are deleted, a range sealed twice around a crash): events
 * are immutable, so any two segments agree on the positions they share.
 */
export function coverChain(segments: CatalogSegment[], from = 1): SegmentChain {
  const chain: CatalogSegment[] = [];
  let next = from;
  for (;;) {
    let best: CatalogSegment | null = null;
    for (const s of segments) if (s.from <= next && s.to >= next && (!best || s.to > best.to)) best = s;
    if (!best) break;
    chain.push(best);
    next = best.to + 1;
  }
  const gapAt = segments.some((s) => s.from > next) ? next : null;
  return { segments: chain, end: next - 1, gapAt };
}
