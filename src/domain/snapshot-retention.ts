import { z } from 'zod';

/** Grandfather-father-son thinning of snapshots, by the time of the state they hold. */
export const retentionPolicySchema = z
  .object({
    keepAllHours: z.number().int().min(0).max(24 * 365),
    hourlyDays: z.number().int().min(0).max(3650),
    dailyDays: z.number().int().min(0).max(3650),
    weeklyWeeks: z.number().int().min(0).max(520),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

export const DEFAULT_RETENTION: RetentionPolicy = { keepAllHours: 24, hourlyDays: 7, dailyDays: 30, weeklyWeeks: 52 };

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export interface DatedSnapshot {
  id: string;
  /** Epoch ms of the state the snapshot holds. */
  time: number;
}

/**
 * Which snapshots a policy keeps at `now`: all from the last `keepAllHours`, then the newest of each
 * hour up to `hourlyDays`, of each day up to `dailyDays`, of each week up to `weeklyWeeks`, and
 * always the newest one overall. Pure and deterministic: the same inputs keep the same set.
 */
export function snapshotsToKeep(snapshots: DatedSnapshot[], now: number, policy: RetentionPolicy): Set<string> {
  const newestFirst = [...snapshots].sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
  const keep = new Set<string>();
  const buckets = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].id);
  for (const s of newestFirst) {
    const age = now - s.time;
    let bucket: string | null;
    if (age <= policy.keepAllHours * HOUR) bucket = `all:${s.id}`;
    else if (age <= policy.hourlyDays * DAY) bucket = `h:${Math.floor(s.time / HOUR)}`;
    else if (age <= policy.dailyDays * DAY) bucket = `d:${Math.floor(s.time / DAY)}`;
    else if (age <= policy.weeklyWeeks * WEEK) bucket = `w:${Math.floor(s.time / WEEK)}`;
    else bucket = null;
    if (bucket !== null && !buckets.has(bucket)) {
      buckets.add(bucket);
      keep.add(s.id);
    }
  }
  return keep;
}
