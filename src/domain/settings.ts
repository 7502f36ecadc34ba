import { z } from 'zod';
import { cronExpressionSchema } from './cron';
import { DEFAULT_RETENTION, retentionPolicySchema } from './snapshot-retention';

/**
 * A cron expression as the log may hold it: 5 or 6 fields, or '' for off. Versions before cron.ts
 * stored any such expression (the scheduler leaves one it cannot run off, with a warning), and the
 * past is never rewritten, so events and backups keep this shape; new values are checked by
 * settingsChangeSchema.
 */
const storedCronSchema = z.string().max(100).regex(/^$|^(\S+\s+){4,5}\S+$/, 'a cron expression has 5 or 6 fields');
const cronOrOffSchema = z.union([z.literal(''), cronExpressionSchema]);

/**
 * The one app-wide settings document. Flat, so a patch is a plain object of the keys it
 * changes (`{theme: 'dark'}`); the first six keys are the Globe app's `uiSettings` verbatim,
 * so a "Save Project" file's `uiSettings` is a valid patch as it is.
 */
export const settingsSchema = z.object({
  // Globe app UI settings
  drawerOpen: z.boolean(),
  showQuantityVisualization: z.boolean(),
  searchQuery: z.string().max(1000),
  sortBy: z.enum(['name', 'created_at', 'updated_at']),
  sortOrder: z.enum(['asc', 'desc']),
  filterBy: z.enum(['all', 'with_quantity', 'without_quantity']),
  // user settings
  theme: z.enum(['light', 'dark', 'system']),
  language: z.string().min(2).max(20),
  autoSave: z.boolean(),
  notifications: z.boolean(),
  // globe options
  globeStyle: z.enum(['default', 'satellite', 'dark', 'night', 'political']),
  autoRotate: z.boolean(),
  rotationSpeed: z.number().min(0).max(10),
  // Globe Vault: snapshots and their compaction
  /** Take a snapshot after this many events (0: never by count). */
  snapshotEveryEvents: z.number().int().min(0).max(10_000_000),
  snapshotCron: storedCronSchema,
  compactionCron: storedCronSchema,
  snapshotRetention: retentionPolicySchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  drawerOpen: false,
  showQuantityVisualization: true,
  searchQuery: '',
  sortBy: 'name',
  sortOrder: 'asc',
  filterBy: 'all',
  theme: 'system',
  language: 'en',
  autoSave: true,
  notifications: true,
  globeStyle: 'default',
  autoRotate: true,
  rotationSpeed: 0.5,
  snapshotEveryEvents: 10_000,
  snapshotCron: '0 * * * *',
  compactionCron: '15 3 * * *',
  snapshotRetention: DEFAULT_RETENTION,
}) as Settings;

/** A patch names only known keys (a typo is an error, not a silently ignored key). */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** A patch as a client or a foreign file gives it: every cron one the scheduler can run (see cronProblem). */
export const settingsChangeSchema = settingsPatchSchema.extend({ snapshotCron: cronOrOffSchema.optional(), compactionCron: cronOrOffSchema.optional() });
