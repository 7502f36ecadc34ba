import { api, withQuery } from './client';
import type { Backup, Page } from './types';

/** The Backup Manager's API. */

/** `refresh`: the server first lists its storages and registers the backups it finds there (a fresh instance's first look). */
export const listBackups = (refresh = false) => api.get<Page<Backup>>('/api/backups', refresh ? { refresh: 'true' } : {}).then((p) => p.items);
/** What "Back up now" can ask for; `{}` is gzip, with the history, not encrypted. */
export interface BackUpNowOptions {
  label?: string;
  compression?: 'gzip' | 'none';
  /** With the server's key (BACKUP_KEY / BACKUP_KEY_FILE). */
  encrypt?: boolean;
  passphrase?: string;
}
export const backUpNow = (options: BackUpNowOptions = {}) => api.post<{ jobId: string; backupId: string }>('/api/backups', options);
export const deleteBackup = (id: string) => api.delete(`/api/backups/${encodeURIComponent(id)}`);
/** One check a verification ran (names as the server gives them: magic, manifest, payload.sha256, counts.state, stateHash…). */
export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail?: string;
}
export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
  error: { code: string; message: string } | null;
  /** False when an encrypted payload could not be opened: only its bytes' size and checksum were checked. */
  contentChecked: boolean;
  restorable: { state: boolean; history: boolean };
  verifiedAt: string;
}
export const verifyBackup = (id: string) => api.post<VerifyReport>(`/api/backups/${encodeURIComponent(id)}/verify`);
/** A restore drill: the backup restored into a scratch database and checked against its manifest. */
export const drillBackup = (id: string) => api.post<{ ok: boolean; error: string | null }>(`/api/backups/${encodeURIComponent(id)}/drill`);
export const backupDownloadUrl = (id: string) => `/api/backups/${encodeURIComponent(id)}/download`;

/** A header carries Latin-1 only: a name outside printable ASCII travels percent-encoded. */
const headerSafe = (name: string) => (/^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name));

/** Any supported file (a native backup, a Globe "Save Project" file, BackupData JSON): verified in full, then listed as `uploaded`. */
export const uploadBackup = (file: File, passphrase: string, onProgress?: (sent: number, total: number) => void) =>
  api.upload<Backup>('/api/backups/upload', file, 'application/octet-stream', onProgress, {
    'X-File-Name': headerSafe(file.name),
    ...(passphrase ? { 'X-Backup-Passphrase': passphrase } : {}),
  });

export interface BackupHealth {
  status: 'ok' | 'warning' | 'no-backups';
  lastVerifiedRestorableAt: string | null;
  newestBackupAt: string | null;
  promisedWithinHours: number | null;
  warnings: string[];
  message: string;
  /** The continuous archive of the log; null when archiving is off. Absent from servers before it. */
  archive?: ArchiveHealth | null;
  /** Each configured storage, the primary first. */
  storages?: StorageHealth[];
  /** The next three firings of each enabled schedule, by schedule id; absent from older servers. */
  nextRuns?: Record<string, string[]>;
  nextBackupAt?: string | null;
  /** The server key "Back up now" can encrypt with; null when none is configured. */
  serverKeyId?: string | null;
}

export interface StorageHealth {
  /** As the server names it: file:<dir>, s3://<bucket>/<prefix> or rclone:<remote>:<path> (never credentials). */
  storage: string;
  pendingCopies: number;
  failedCopies: number;
  lastError: string | null;
}

export interface ArchivePoint {
  position: number;
  recordedAt: string | null;
}

export interface ArchiveHealth {
  storage: string;
  encryption: string | null;
  epoch: number | null;
  archivedPosition: number;
  headPosition: number;
  /** What a lost server would lose now. */
  lag: { positions: number; seconds: number };
  /** The oldest and newest points a lost server could be restored to. */
  restorable: { oldest: string | null; newest: string | null };
  pending: { positions: number; since: string | null; retryAt: string | null };
  uploads: number;
  lastUploadAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  /** On an instance whose log is empty: the archive the store already holds. */
  found?: { epoch: number; oldest: ArchivePoint; newest: ArchivePoint } | null;
}
export const backupHealth = () => api.get<BackupHealth>('/api/backups/health');

export interface BackupSchedule {
  id: string;
  enabled: boolean;
  frequency: 'daily' | 'weekly' | 'cron';
  /** HH:MM */
  time: string;
  /** 0 = Sunday … 6 = Saturday */
  dayOfWeek: number;
  cron?: string;
  timezone: string;
  storage: string;
  encrypt: boolean;
  compression: 'gzip' | 'brotli' | 'none';
  includeHistory: boolean;
}

export interface BackupSchedules {
  schedules: BackupSchedule[];
  retention: { keepLast: number; keepDailyDays: number; keepWeeklyWeeks: number };
  drills: { enabled: boolean; cron: string };
  logCompaction: { enabled: boolean; olderThanDays: number; cron: string };
}
export const getSchedules = () => api.get<BackupSchedules>('/api/backup-schedules');
export const putSchedules = (doc: BackupSchedules) => api.put<BackupSchedules>('/api/backup-schedules', doc);

export type ExportFormat = 'globe-project' | 'backup-data' | 'csv' | 'native';
export const exportUrl = (format: ExportFormat, datasetId?: string) => withQuery('/api/export', { format, datasetId });
