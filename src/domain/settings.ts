import { z } from 'zod';
import { DEFAULT_RETENTION, retentionPolicySchema } from './snapshot-retention';

/** A cron expression of 5 or 6 fields, or '' for off (fully checked by the scheduler that runs it). */
const cronSchema = z.string().max(100).regex(/^$|^(\S+\s+){4,5}\S+$/, 'a cron expression has 5 or 6 fields');

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
  snapshotCron: cronSchema,
  compactionCron: cronSchema,
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
