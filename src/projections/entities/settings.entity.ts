import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The one settings document (id 'app'), stored whole: it is small and always read whole. */
@Entity({ name: 'settings' })
export class SettingsEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') document!: string;
}
