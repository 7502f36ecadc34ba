import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { GlobeState, emptyGlobeState } from '../domain/globe-state';
import { DEFAULT_SETTINGS, Settings } from '../domain/settings';
import { ConfigurationEntity } from './entities/configuration.entity';
import { DatasetEntity } from './entities/dataset.entity';
import { LocationEntity } from './entities/location.entity';
import { SettingsEntity } from './entities/settings.entity';
import { toConfiguration, toDataset, toLocation } from './row-mappers';

export interface StateSelection {
  datasetIds?: string[];
  locationIds?: string[];
  configurationIds?: string[];
}

/** Reads the current read models: the state a command decides on, and the basis of every query. */
@Injectable()
export class GlobeReadModel {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  settings(): Promise<Settings> {
    return readSettings(this.dataSource);
  }

  /** The part of the state a command touches: the named entities (and each location's dataset), plus settings. */
  async partialState(selection: StateSelection): Promise<GlobeState> {
    const state = emptyGlobeState();
    state.settings = await this.settings();
    const locations = selection.locationIds?.length
      ? await this.dataSource.getRepository(LocationEntity).findBy({ id: In(selection.locationIds) })
      : [];
    for (const row of locations) state.locations.set(row.id, toLocation(row));
    const datasetIds = [...(selection.datasetIds ?? []), ...locations.map((l) => l.datasetId)];
    if (datasetIds.length) {
      for (const row of await this.dataSource.getRepository(DatasetEntity).findBy({ id: In(datasetIds) })) state.datasets.set(row.id, toDataset(row));
    }
    if (selection.configurationIds?.length) {
      const rows = await this.dataSource.getRepository(ConfigurationEntity).findBy({ id: In(selection.configurationIds) });
      for (const row of rows) state.configurations.set(row.id, toConfiguration(row));
    }
    return state;
  }
}

/** The settings document of a read model (live or a past state): stored values over the defaults. */
export async function readSettings(dataSource: DataSource): Promise<Settings> {
  const row = await dataSource.getRepository(SettingsEntity).findOneBy({ id: 'app' });
  return row ? { ...DEFAULT_SETTINGS, ...JSON.parse(row.document) } : { ...DEFAULT_SETTINGS };
}
