import { Module } from '@nestjs/common';
import { RecoveryModule } from '../recovery/recovery.module';
import { CommandRunner } from './command-runner';
import { ConfigurationsController } from './configurations/configurations.controller';
import { DeleteConfigurationHandler, SaveConfigurationHandler } from './configurations/configuration.commands';
import { CreateDatasetHandler, DeleteDatasetHandler, UpdateDatasetHandler } from './datasets/dataset.commands';
import { GetDatasetHandler, ListDatasetsHandler } from './datasets/dataset.queries';
import { DatasetsController } from './datasets/datasets.controller';
import { AddLocationHandler, RemoveLocationHandler, UpdateLocationHandler } from './locations/location.commands';
import { GetLocationHandler, ListLocationsHandler } from './locations/location.queries';
import { LocationsController } from './locations/locations.controller';
import { GlobePointsController } from './points/globe-points.controller';
import { GlobePointsService } from './points/globe-points.query';
import { ChangeSettingsHandler } from './settings/settings.commands';
import { SettingsController } from './settings/settings.controller';

/** The Globe data API: datasets, locations, settings, configurations (commands and queries). */
@Module({
  imports: [RecoveryModule],
  controllers: [DatasetsController, LocationsController, GlobePointsController, SettingsController, ConfigurationsController],
  providers: [
    CommandRunner,
    CreateDatasetHandler,
    UpdateDatasetHandler,
    DeleteDatasetHandler,
    GetDatasetHandler,
    ListDatasetsHandler,
    AddLocationHandler,
    UpdateLocationHandler,
    RemoveLocationHandler,
    GetLocationHandler,
    ListLocationsHandler,
    GlobePointsService,
    ChangeSettingsHandler,
    SaveConfigurationHandler,
    DeleteConfigurationHandler,
  ],
  exports: [CommandRunner],
})
export class GlobeModule {}
