import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A snapshot's record; the state itself is a file in `<DATA_DIR>/snapshots`. */
@Entity({ name: 'snapshots' })
@Index('snapshots_position', ['position'])
export class SnapshotEntity {
  @PrimaryColumn('text') id!: string;
  @Column('integer') position!: number;
  @Column('text', { nullable: true }) recorded_at!: string | null;
  @Column('integer') schema_version!: number;
  @Column('text') state_hash!: string;
  /** The log's chain hash at `position` when the snapshot was recorded (null: the log held none there). */
  @Column('text', { nullable: true }) chain_head!: string | null;
  @Column('text') file!: string;
  @Column('text') file_sha256!: string;
  @Column('integer') bytes!: number;
  @Column('text') counts!: string;
  /** auto (every N events), scheduled, manual, pre-restore, pre-import */
  @Column('text') reason!: string;
  /** valid, or invalid with the reason it was found unusable */
  @Column('text') status!: string;
  @Column('text') created_at!: string;
}
