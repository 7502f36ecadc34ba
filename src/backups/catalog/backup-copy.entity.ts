import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type CopyState = 'pending' | 'stored' | 'verified' | 'failed';

/**
 * One copy of a backup on one storage, and the durable record of the local queue: a copy that is
 * `pending` or `failed` is retried (its bytes wait in DATA_DIR/outbox/<key> until every copy of the
 * backup is stored). `stored` is a copy this instance found in a storage but has not read back;
 * `verified` one read back and checked. `failed` is a copy the storage refused for a reason retrying
 * soon will not fix (credentials, a missing bucket, a copy that did not verify): still retried, at
 * the longest backoff.
 */
@Entity({ name: 'backup_copies' })
@Index('backup_copies_due', ['state', 'next_attempt_at'])
export class BackupCopyEntity {
  @PrimaryColumn('text') backup_id!: string;
  /** The storage's description (BackupStorage.describe()). */
  @PrimaryColumn('text') storage!: string;
  @Column('text') key!: string;
  @Column('text') state!: CopyState;
  @Column('integer', { nullable: true }) size!: number | null;
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('text', { nullable: true }) next_attempt_at!: string | null;
  @Column('text', { nullable: true }) last_error!: string | null;
  @Column('text', { nullable: true }) verified_at!: string | null;
  @Column('text') updated_at!: string;
}
