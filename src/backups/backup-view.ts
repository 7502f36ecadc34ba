import { BackupEntity } from './backup.entity';

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
}

export const toBackupView = (row: BackupEntity): BackupView => ({
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
});
