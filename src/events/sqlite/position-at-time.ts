import Database from 'better-sqlite3';

/** The statements positionAtTime reads through (the store's own, prepared once). */
export interface PositionStatements {
  first: Database.Statement<[], { p: number | null }>;
  head: Database.Statement<[], { p: number | null }>;
  atOrAfter: Database.Statement<[number], { p: number; t: number }>;
}

/**
 * The last position whose event was recorded at or before `t` (epoch ms), 0 if none: a binary
 * search over positions, as `recordedAt` is monotonic along the position, so O(log n) lookups by
 * rowid. Positions removed by compaction are skipped by `atOrAfter`.
 */
export function positionAtTime(stmt: PositionStatements, t: number): number {
  let lo = stmt.first.get()?.p ?? 0;
  let hi = stmt.head.get()?.p ?? 0;
  const firstEvent = stmt.atOrAfter.get(lo);
  if (!firstEvent || firstEvent.t > t) return 0;
  // Invariant: the first event at or after lo has recorded_at ≤ t, and the answer is ≤ hi.
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if ((stmt.atOrAfter.get(mid)?.t ?? Infinity) <= t) lo = mid;
    else hi = mid - 1;
  }
  return stmt.atOrAfter.get(lo)?.p ?? 0;
}
