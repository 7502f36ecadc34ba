/**
 * Where a segment lives: `archive/<epoch>/<from>-<to>.gvseg`, merged ones `…-<to>.L<level>.gvseg`.
 * Numbers are zero-padded (epoch to 8 digits, positions to 20, past any safe integer), so the
 * store's LIST order (byte order of keys) is epoch order, then position order. A key names its
 * range for good: the archive never writes different bytes under one key.
 */
export interface SegmentRange {
  epoch: number;
  from: number;
  to: number;
  /** 0 for a segment sealed from the log; 1, 2 for merges of older ones. */
  level: number;
}

export const ARCHIVE_PREFIX = 'archive/';
const NAME = /^archive\/(\d{8})\/(\d{20})-(\d{20})(?:\.L(\d))?\.gvseg$/;

export const epochPrefix = (epoch: number): string => `${ARCHIVE_PREFIX}${String(epoch).padStart(8, '0')}/`;

export function segmentKey({ epoch, from, to, level }: SegmentRange): string {
  const range = `${String(from).padStart(20, '0')}-${String(to).padStart(20, '0')}`;
  return `${epochPrefix(epoch)}${range}${level > 0 ? `.L${level}` : ''}.gvseg`;
}

/** The range a key names; null for anything else under the prefix (never read as a segment). */
export function parseSegmentKey(key: string): SegmentRange | null {
  const m = NAME.exec(key);
  if (!m) return null;
  const range = { epoch: Number(m[1]), from: Number(m[2]), to: Number(m[3]), level: m[4] ? Number(m[4]) : 0 };
  return range.from >= 1 && range.to >= range.from ? range : null;
}

/**
 * A writer's claim on an epoch: `archive/<epoch>/writer-<uuid v7>.claim`. Several instances that
 * start an epoch at once each write a claim and then LIST: the earliest claim (uuid v7 sorts by
 * time, then at random) wins, the others move on to the next epoch. Who writes is thus decided by
 * epoch-named keys, never by an overwrite race.
 */
export const claimKey = (epoch: number, writerId: string): string => `${epochPrefix(epoch)}writer-${writerId}.claim`;
const CLAIM = /^archive\/(\d{8})\/writer-[0-9a-f-]{36}\.claim$/;
export const claimEpochOf = (key: string): number | null => {
  const m = CLAIM.exec(key);
  return m ? Number(m[1]) : null;
};
