import { CheckpointEntity } from './checkpoint.entity';
import { ConfigurationEntity } from './configuration.entity';
import { DatasetEntity } from './dataset.entity';
import { LocationEntity } from './location.entity';
import { SettingsEntity } from './settings.entity';

/** The tables a rebuild empties and refills from the log. */
export const READ_MODEL_TABLES = ['datasets', 'locations', 'settings', 'configurations'] as const;
export const READ_MODEL_ENTITIES = [DatasetEntity, LocationEntity, SettingsEntity, ConfigurationEntity, CheckpointEntity];
