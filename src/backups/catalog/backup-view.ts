import { BackupCopyEntity, CopyState } from './backup-copy.entity';
import { BackupEntity } from './backup.entity';

/** One copy of a backup on one configured storage, and where it stands. */
export interface BackupCopyView {
  storage: string;
  state: CopyState;
  size: number | null;
  verifiedAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
}

/** A backup as `GET /api/backups` shows it. */
export interface BackupView {
  id: string;
  createdAt: string;
  kind: string;
  size: number;
  counts: { datasets: number; locations: number; configurations: number; settings: number; events: number };
  format: string;
  compression: string;
  encrypted: boolean;
  /** The id of the server key an encrypted backup needs; null when it is not encrypted or needs a passphrase. */
  keyId: string | null;
  storage: string;
  key: string;
  headPosition: number;
  stateHash: string;
  includesHistory: boolean;
  lastVerifiedAt: string | null;
  lastVerifyResult: string | null;
  lastDrillAt: string | null;
  lastDrillResult: string | null;
  actor: string;
  /** The user's name for the backup, or null. */
  label: string | null;
  /** For a copy of another backup (an uploaded file that was downloaded from this history): that backup's id. */
  originalId: string | null;
  /** Where the backup is: one entry per storage that holds (or is to hold) a copy. */
  copies: BackupCopyView[];
}

export const toBackupView = (row: BackupEntity, copies: BackupCopyEntity[] = []): BackupView => ({
  id: row.id,
  createdAt: row.created_at,
  kind: row.kind,
  size: row.size,
  counts: JSON.parse(row.counts),
  format: row.format,
  compression: row.compression,
  encrypted: !!row.encrypted,
  keyId: row.key_id ?? null,
  storage: row.storage,
  key: row.key,
  headPosition: row.head_position,
  stateHash: row.state_hash,
  includesHistory: !!row.includes_history,
  lastVerifiedAt: row.last_verified_at,
  lastVerifyResult: row.last_verify_result,
  lastDrillAt: row.last_drill_at,
  lastDrillResult: row.last_drill_result,
  actor: row.actor,
  label: row.label ?? null,
  originalId: row.original_id ?? null,
  copies: copies.map((c) => ({
    storage: c.storage,
    state: c.state,
    size: c.size,
    verifiedAt: c.verified_at,
    attempts: c.attempts,
    nextAttemptAt: c.next_attempt_at,
    lastError: c.last_error,
  })),
});

/**
 * Whether a restore can open the backup without a person at hand: not encrypted, sealed with a
 * server key this server holds, or sealed with a passphrase while BACKUP_PASSPHRASE is configured.
 * What a restore from the storage alone (and the archive retention that relies on it) may use.
 */
export function opensUnattended(backup: Pick<BackupView, 'encrypted' | 'keyId'>, hasKey: (id: string) => boolean, passphraseConfigured: boolean): boolean {
  if (!backup.encrypted) return true;
  return backup.keyId ? hasKey(backup.keyId) : passphraseConfigured;
}
