import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Read model of a location; `(dataset_id, id)` serves the per-dataset cursor pages. */
@Entity({ name: 'locations' })
@Index('locations_dataset_id', ['datasetId', 'id'])
export class LocationEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'dataset_id' }) datasetId!: string;
  @Column('text') name!: string;
  @Column('real') latitude!: number;
  @Column('real') longitude!: number;
  @Column('real', { nullable: true }) quantity!: number | null;
  @Column('text') properties!: string;
  @Column('text') created_at!: string;
  @Column('text') updated_at!: string;
}
