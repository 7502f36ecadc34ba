import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

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
}
