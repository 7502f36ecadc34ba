import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One claimed firing of a schedule; the primary key is what makes the claim exclusive. */
@Entity({ name: 'scheduled_runs' })
export class ScheduledRunEntity {
  @PrimaryColumn('text') slot!: string;
  @Column('text') claimed_at!: string;
  @Column('integer') pid!: number;
}
