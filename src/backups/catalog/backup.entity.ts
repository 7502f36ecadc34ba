import type { VerifyReport } from '../format/verify-backup';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { BackupManifest } from '../format/backup-manifest';

/**
 * A backup in the history. A row exists only for a backup that was written completely, verified,
 * and stored: a crash mid-backup leaves no row (and the storage no object).
 */
@Entity({ name: 'backups' })
@Index('backups_created_at', ['created_at'])
export class BackupEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') key!: string;
  /** manual, scheduled, pre-restore, uploaded */
  @Column('text') kind!: string;
  @Column('text') created_at!: string;
  @Column('integer') size!: number;
  @Column('text') counts!: string;
  /** The format the user gave or asked for (native, globe-project, backup-data); stored natively either way. */
  @Column('text') format!: string;
  @Column('text') compression!: string;
  @Column('integer') encrypted!: number;
  /** The server key's id for a backup encrypted with one (null: not encrypted, or by a passphrase). */
  @Column('text', { nullable: true }) key_id!: string | null;
  @Column('text') storage!: string;
  @Column('integer') head_position!: number;
  @Column('text') state_hash!: string;
  @Column('integer') includes_history!: number;
  @Column('text', { nullable: true }) last_verified_at!: string | null;
  /** ok, or failed: <code> */
  @Column('text', { nullable: true }) last_verify_result!: string | null;
  /** The last restore drill: when, and whether the restored state's hash matched the manifest. */
  @Column('text', { nullable: true }) last_drill_at!: string | null;
  @Column('text', { nullable: true }) last_drill_result!: string | null;
  @Column('text') actor!: string;
  /** The user's name for the backup (from its manifest); null when none was given. */
  @Column('text', { nullable: true }) label!: string | null;
  /** For a copy (an uploaded file, a backup found on a storage): the id its manifest says it was first listed under. */
  @Column('text', { nullable: true }) original_id!: string | null;
}

/** What the catalog keeps from a manifest besides its facts: the label, and the original a copy was made from. */
export function catalogFieldsOf(id: string, m: BackupManifest): { label: string | null; original_id: string | null } {
  return { label: m.label ?? null, original_id: m.backupId !== undefined && m.backupId !== id ? m.backupId : null };
}

/**
 * What a verification proved: `ok` (every check, content included), `integrity-only` (an encrypted
 * file checked without its passphrase: its bytes are intact, its content unseen), or the failure.
 */
export function verifyResultOf(report: VerifyReport): string {
  if (!report.ok) return `failed: ${report.error?.code}`;
  return report.contentChecked ? 'ok' : 'integrity-only';
}

/** The catalog row of a backup just written and verified at `verifiedAt`, from its manifest. */
export function catalogRowOf(
  fields: { id: string; kind: string; format: string; actor: string },
  key: string,
  size: number,
  m: BackupManifest,
  storage: string,
  verifiedAt: string,
): BackupEntity {
  return {
    id: fields.id,
    key,
    kind: fields.kind,
    created_at: m.createdAt,
    size,
    counts: JSON.stringify(m.counts),
    format: fields.format,
    compression: m.payload.compression,
    encrypted: m.payload.encryption ? 1 : 0,
    key_id: m.payload.encryption?.kdf === 'hkdf-sha256' ? m.payload.encryption.keyId : null,
    storage,
    head_position: m.headPosition,
    state_hash: m.stateHash,
    includes_history: m.includesHistory ? 1 : 0,
    last_verified_at: verifiedAt,
    last_verify_result: 'ok',
    last_drill_at: null,
    last_drill_result: null,
    actor: fields.actor,
    ...catalogFieldsOf(fields.id, m),
  };
}
