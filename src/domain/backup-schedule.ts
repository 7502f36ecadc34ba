import { z } from 'zod';
import { cronExpressionSchema } from './cron';

/** A choice among the configured storages: 'default' (all of them), an index into BACKUP_STORAGE, or a storage's URL (or kind, when only one has it). */
export const storageChoiceSchema = z.union([z.number().int().min(0).max(99), z.string().min(1).max(1000)]);

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM');

/** One automatic backup: daily or weekly at a time of day, or on a cron expression, in a time zone. */
export const backupScheduleSchema = z
  .object({
    id: z.string().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/),
    enabled: z.boolean().default(true),
    frequency: z.enum(['daily', 'weekly', 'cron']),
    time: time.default('02:00'),
    /** 0 = Sunday … 6 = Saturday, for weekly. */
    dayOfWeek: z.number().int().min(0).max(6).default(0),
    cron: cronExpressionSchema.optional(),
    timezone: z.string().min(1).max(64).default('UTC'),
    /** Where its backups go: 'default' (every storage BACKUP_STORAGE lists), or one of them by index or URL. */
    storage: storageChoiceSchema.default('default'),
    /** Encrypted with the server's current key (BACKUP_KEY / BACKUP_KEY_FILE), else BACKUP_PASSPHRASE (neither is stored). */
    encrypt: z.boolean().default(false),
    compression: z.enum(['gzip', 'brotli', 'none']).default('gzip'),
    includeHistory: z.boolean().default(true),
  })
  .strict()
  .refine((s) => s.frequency !== 'cron' || s.cron !== undefined, { message: 'a cron schedule needs `cron`', path: ['cron'] });
export type BackupSchedule = z.infer<typeof backupScheduleSchema>;

/** Which scheduled backups to keep once a new one verified: the last N, the newest per day for D days, per week for W weeks. */
export const backupRetentionSchema = z
  .object({
    keepLast: z.number().int().min(1).max(1000).default(7),
    keepDailyDays: z.number().int().min(0).max(3650).default(14),
    keepWeeklyWeeks: z.number().int().min(0).max(520).default(8),
  })
  .strict();
export type BackupRetention = z.infer<typeof backupRetentionSchema>;

export const backupSchedulesSchema = z
  .object({
    schedules: z.array(backupScheduleSchema).max(20).default([]),
    retention: backupRetentionSchema.default({ keepLast: 7, keepDailyDays: 14, keepWeeklyWeeks: 8 }),
    /** Restore drills: the newest backup restored into a scratch database and checked against its manifest. */
    drills: z.object({ enabled: z.boolean().default(true), cron: cronExpressionSchema.default('30 4 * * *') }).strict().default({ enabled: true, cron: '30 4 * * *' }),
    /**
     * Opt-in log compaction (off by default: the audit trail is the product). Events older than
     * `olderThanDays` are folded into a base snapshot and removed from the live log, but only when a
     * verified backup with the history holds them.
     */
    logCompaction: z
      .object({ enabled: z.boolean().default(false), olderThanDays: z.number().int().min(1).max(36500).default(365), cron: cronExpressionSchema.default('45 3 * * *') })
      .strict()
      .default({ enabled: false, olderThanDays: 365, cron: '45 3 * * *' }),
  })
  .strict()
  .refine((d) => new Set(d.schedules.map((s) => s.id)).size === d.schedules.length, { message: 'schedule ids must be unique', path: ['schedules'] });
export type BackupSchedules = z.infer<typeof backupSchedulesSchema>;

export const DEFAULT_BACKUP_SCHEDULES: BackupSchedules = backupSchedulesSchema.parse({});

/** The cron expression a schedule fires on. */
export function cronOf(s: BackupSchedule): string {
  if (s.frequency === 'cron') return s.cron!;
  const [hour, minute] = s.time.split(':').map(Number);
  return s.frequency === 'daily' ? `${minute} ${hour} * * *` : `${minute} ${hour} * * ${s.dayOfWeek}`;
}

const DAY = 24 * 3600_000;

/**
 * Which scheduled backups a retention policy keeps at `now`, newest first by time: the newest
 * `keepLast`, plus the newest of each day within `keepDailyDays` and of each week within
 * `keepWeeklyWeeks`. Pure; the newest backup is always kept.
 */
export function backupsToKeep(backups: { id: string; time: number }[], now: number, policy: BackupRetention): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.time - a.time);
  const keep = new Set(newestFirst.slice(0, Math.max(1, policy.keepLast)).map((b) => b.id));
  const days = new Set<number>();
  const weeks = new Set<number>();
  for (const b of newestFirst) {
    const age = now - b.time;
    const day = Math.floor(b.time / DAY);
    const week = Math.floor(b.time / (7 * DAY));
    if (age <= policy.keepDailyDays * DAY && !days.has(day)) {
      days.add(day);
      keep.add(b.id);
    }
    if (age <= policy.keepWeeklyWeeks * 7 * DAY && !weeks.has(week)) {
      weeks.add(week);
      keep.add(b.id);
    }
  }
  return keep;
}
