import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Persisted job records: what survives a restart (a running job is then reported interrupted). */
@Entity({ name: 'jobs' })
@Index('jobs_kind_state', ['kind', 'state'])
export class JobEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') kind!: string;
  @Column('text') state!: string;
  /** The whole JobView as JSON: one write per update, one read per lookup. */
  @Column('text') view!: string;
  @Column('text') created_at!: string;
}
