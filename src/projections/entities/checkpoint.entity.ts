import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a projection has applied the log; written in the same transaction as its rows. */
@Entity({ name: 'projection_checkpoints' })
export class CheckpointEntity {
  @PrimaryColumn('text') name!: string;
  @Column('integer') position!: number;
}
