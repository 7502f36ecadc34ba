import type { components } from './openapi';

/**
 * What the Globe Vault API answers. The OpenAPI document describes the answers of the main routes
 * (datasets, locations, jobs, backup and restore starts), from zod schemas the server's type-check
 * binds to its handlers: those types are taken from it (openapi.d.ts) and cannot drift. The others
 * are declared here by hand (the client's e2e spec reads them from a real server); `Backup` stays
 * hand-written because it also reads older servers (optional `label`, `copies`).
 */
type Answer = components['schemas'];

export type Dataset = Answer['Dataset'];
export type Location = Answer['Location'];
export type JobView = Answer['Job'];
export type BackupStarted = Answer['BackupStarted'];
export type RestoreStarted = Answer['RestoreStarted'];

export interface Page<T> {
  items: T[];
  next: string | null;
}



export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type JobKind = 'import' | 'backup' | 'restore' | 'snapshot' | 'compaction' | 'rebuild' | 'verify' | 'audit-verify';


export const FINAL_JOB_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export interface RowError {
  line: number;
  code: string;
  reason: string;
}

export interface ImportResult {
  rowsRead: number;
  locationsWritten: number;
  rowsSkipped: number;
  duplicates: { skipped: number; replaced: number; renamed: number };
  errors: RowError[];
}

export interface Settings {
  drawerOpen: boolean;
  showQuantityVisualization: boolean;
  searchQuery: string;
  sortBy: 'name' | 'created_at' | 'updated_at';
  sortOrder: 'asc' | 'desc';
  filterBy: 'all' | 'with_quantity' | 'without_quantity';
  theme: 'light' | 'dark' | 'system';
  language: string;
  autoSave: boolean;
  notifications: boolean;
  globeStyle: 'default' | 'satellite' | 'dark' | 'night' | 'political';
  autoRotate: boolean;
  rotationSpeed: number;
  snapshotEveryEvents: number;
  snapshotCron: string;
  compactionCron: string;
  snapshotRetention: { keepAllHours: number; hourlyDays: number; dailyDays: number; weeklyWeeks: number };
}

export type ConfigurationKind = 'camera-view' | 'filter' | 'layers' | 'visualization' | 'column-mapping' | 'other';

export interface Configuration {
  id: string;
  kind: ConfigurationKind;
  name: string;
  value: unknown;
  created_at: string;
  updated_at: string;
}

export interface AuditEvent {
  position: number;
  eventId: string;
  stream: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string; source: string; correlationId: string; causationId: string | null; reason?: string };
  recordedAt: string;
}

export interface StateSummary {
  at: string | null;
  position: number;
  head: number;
  counts: { datasets: number; locations: number; configurations: number };
}

export type RestoreTarget = { at: string } | { position: number } | { restorePointId: string } | { backupId: string; passphrase?: string };

export interface RestoreScope {
  datasets?: string[];
  settings?: true;
  configurations?: true;
}

export type ConflictStrategy = 'target-wins' | 'keep-current' | 'newest-wins' | 'fail';

interface KindCounts {
  added: number;
  changed: number;
  removed: number;
}

export interface RestoreCounts {
  datasets: KindCounts;
  locations: KindCounts;
  configurations: KindCounts;
  settings: { changed: number };
}

export interface Conflict {
  key: string;
  kind: 'dataset' | 'location' | 'configuration' | 'settings';
  id: string;
  current: unknown;
  target: unknown;
}

type Samples = { added: unknown[]; changed: { id: string; current: unknown; target: unknown }[]; removed: unknown[] };

export interface RestorePreview {
  previewToken: string;
  target: RestoreTarget;
  position: number;
  basePosition: number;
  scope: RestoreScope;
  counts: RestoreCounts;
  samples: { datasets: Samples; locations: Samples; configurations: Samples; settings: { changed: { key: string; current: unknown; target: unknown }[] } };
  /** Changed on both sides since the target: settled by the strategy and the per-item choices. */
  conflicts: { count: number; items: Conflict[] };
  /** Changed on the target's side only (nothing changed them here since): restored like additions. */
  changes: { count: number; items: Conflict[] };
  /** On a fresh instance restoring from the storage alone: the objects the restore reads, and their bytes. */
  archive?: { storage: string; epoch: number; objects: { key: string; bytes: number; from?: number; to?: number }[]; bytes: number };
}

export interface RestorePoint {
  id: string;
  name: string;
  description: string;
  position: number;
  automatic: boolean;
  createdAt: string;
}

/** `found`: registered from a storage's listing on an instance that did not write it (a fresh instance, a restore from the cloud). */
export type BackupKind = 'manual' | 'scheduled' | 'pre-restore' | 'uploaded' | 'found';

/**
 * One copy of a backup on one configured storage: `verified` (stored and read back), `stored`
 * (found in a storage's listing, not checked by this instance), `pending` (waiting in the local
 * queue for a retry) or `failed` (refused for a lasting reason, still retried).
 */
export interface BackupCopy {
  storage: string;
  state: 'verified' | 'stored' | 'pending' | 'failed';
  size: number | null;
  verifiedAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
}

export interface Backup {
  id: string;
  createdAt: string;
  kind: BackupKind;
  size: number;
  counts: { datasets: number; locations: number; configurations: number };
  format: string;
  compression: string;
  encrypted: boolean;
  storage: string;
  lastVerifiedAt: string | null;
  /** `ok`, or `failed: <code>`. */
  lastVerifyResult: string | null;
  /** The last restore drill (restored into a scratch database and compared with the manifest): `ok` or `failed: <reason>`. */
  lastDrillAt: string | null;
  lastDrillResult: string | null;
  includesHistory: boolean;
  /** The user's name for the backup; absent from older servers. */
  label?: string | null;
  /** For an uploaded copy of a backup this server made: that backup's id. */
  originalId?: string | null;
  actor: string;
  /** Where the backup is: one per storage that holds (or is to hold) a copy; absent from servers before cloud storage. */
  copies?: BackupCopy[];
}

export interface ImportStarted {
  jobId: string;
  datasetId: string;
  job: JobView;
}



export interface AuditPage extends Page<AuditEvent> {
  /** Where the history before this log's first position is kept (a backup), when the log was compacted. */
  olderHistory: unknown;
}
