import Database from 'better-sqlite3';
import { join } from 'node:path';
import { parseSegmentKey } from '../src/archive/segment-key';
import type { ArchiveSteps, StepTimes } from '../src/archive/archive-step-times';
import { S3Request } from '../test/support/s3-server';
import { percentile } from './cloud-load';

/**
 * The archive's lag per event, for bench/cloud.bench.ts: for every event written during the load,
 * from its commit (`recorded_at`, the time the log's writer gave it) to the moment the S3 server
 * answered the PUT of the first segment that holds it (its request log, bench/s3-process.ts). That
 * is the time the write could have been lost with the server: measured at the store, per event,
 * over every event, not sampled through health (whose answer waits behind the same event loop).
 * Both clocks are this machine's (Date.now).
 */
export interface EventLag {
  events: number;
  /** Events with no segment PUT answered 200 holding them (should be 0 once the archive caught up). */
  missing: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Mean ms between the starts of consecutive level-0 segment PUTs during the load. */
  putEveryMs: number;
}

export function eventLags(dataDir: string, requests: S3Request[], from: number, to: number): EventLag {
  const acked = new Map<number, number>();
  const starts: number[] = [];
  for (const r of requests) {
    if (r.method !== 'PUT' || r.status !== 200 || !r.endMs) continue;
    const range = parseSegmentKey(keyOf(r.url));
    if (!range) continue;
    if (range.level === 0) starts.push(r.startMs);
    for (let p = Math.max(from, range.from); p <= Math.min(to, range.to); p++) acked.set(p, Math.min(acked.get(p) ?? Infinity, r.endMs));
  }
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  const lags: number[] = [];
  let missing = 0;
  try {
    for (const row of db.prepare<[number, number], { position: number; recorded_at: number }>('SELECT position, recorded_at FROM events WHERE position BETWEEN ? AND ? ORDER BY position').iterate(from, to)) {
      const at = acked.get(row.position);
      if (at === undefined) missing += 1;
      else lags.push((at - row.recorded_at) / 1000);
    }
  } finally {
    db.close();
  }
  starts.sort((a, b) => a - b);
  const putEveryMs = starts.length > 1 ? (starts[starts.length - 1] - starts[0]) / (starts.length - 1) : NaN;
  return { events: lags.length + missing, missing, p50: percentile(lags, 50), p90: percentile(lags, 90), p99: percentile(lags, 99), max: Math.max(...lags), putEveryMs };
}

/** The object key a path-style request names (`/<bucket>/<prefix>/archive/…` → `archive/…`). */
function keyOf(url: string): string {
  const path = decodeURIComponent(url.split('?')[0]);
  const at = path.indexOf('/archive/');
  return at < 0 ? path : path.slice(at + 1);
}

/** The mean step times of the rounds between two health readings of `archive.steps` (the rounds of the load alone). */
export function stepsBetween(before: ArchiveSteps, after: ArchiveSteps): { rounds: number; mean: StepTimes | null; max: StepTimes | null } {
  const rounds = after.rounds - before.rounds;
  if (rounds <= 0 || !after.mean) return { rounds: 0, mean: null, max: null };
  const mean = Object.fromEntries(
    Object.keys(after.mean).map((k) => {
      const key = k as keyof StepTimes;
      const sum = after.mean![key] * after.rounds - (before.mean?.[key] ?? 0) * before.rounds;
      return [k, Math.round((sum / rounds) * 10) / 10];
    }),
  ) as unknown as StepTimes;
  // The max since the process started: the load's own unless an earlier round (the import's) was longer.
  return { rounds, mean, max: after.max };
}
