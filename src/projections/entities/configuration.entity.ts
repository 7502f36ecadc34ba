import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'configurations' })
export class ConfigurationEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') kind!: string;
  @Column('text') name!: string;
  @Column('text') value!: string;
  @Column('text') created_at!: string;
  @Column('text') updated_at!: string;
}
