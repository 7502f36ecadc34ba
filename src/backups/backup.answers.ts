import { z } from 'zod';
import { sameType } from '../common/http/api-answer';
import type { BackupCopyView, BackupView } from './catalog/backup-view';

const copyAnswer = z.strictObject({
  storage: z.string(),
  state: z.enum(['pending', 'stored', 'verified', 'failed']),
  size: z.number().nullable(),
  verifiedAt: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
sameType<z.infer<typeof copyAnswer>, BackupCopyView>(true);

/** A backup as the history lists it (OpenAPI `Backup`). */
export const backupAnswer = z.strictObject({
  id: z.string(),
  createdAt: z.string(),
  kind: z.string().describe('manual, scheduled, pre-restore, uploaded or found'),
  size: z.number().int(),
  counts: z.strictObject({ datasets: z.number(), locations: z.number(), configurations: z.number(), settings: z.number(), events: z.number() }),
  format: z.string(),
  compression: z.string(),
  encrypted: z.boolean(),
  keyId: z.string().nullable().describe('the id of the server key an encrypted backup needs; null when not encrypted or passphrase-encrypted'),
  storage: z.string(),
  key: z.string(),
  headPosition: z.number().int(),
  stateHash: z.string(),
  includesHistory: z.boolean(),
  lastVerifiedAt: z.string().nullable(),
  lastVerifyResult: z.string().nullable().describe('`ok`, or `failed: <code>`'),
  lastDrillAt: z.string().nullable(),
  lastDrillResult: z.string().nullable().describe('`ok`, or `failed: <reason>`'),
  actor: z.string(),
  label: z.string().nullable(),
  originalId: z.string().nullable(),
  copies: z.array(copyAnswer),
});
sameType<z.infer<typeof backupAnswer>, BackupView>(true);

/** POST /api/backups: 202, the job that makes the backup and the id the backup will have (OpenAPI `BackupStarted`). */
export const backupStartedAnswer = z.strictObject({ jobId: z.string(), backupId: z.string() });
export type BackupStarted = z.infer<typeof backupStartedAnswer>;
