import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model of a dataset. JSON columns are TEXT written by the projector with JSON.stringify. */
@Entity({ name: 'datasets' })
export class DatasetEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('text') color!: string;
  @Column('integer') visible!: number;
  @Column('text', { nullable: true }) source!: string | null;
  @Column('text', { name: 'column_mapping' }) columnMapping!: string;
  @Column('text') created_at!: string;
  @Column('text') updated_at!: string;
}
