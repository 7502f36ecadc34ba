import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { BackupManifest } from './format/backup-manifest';

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
