import { CheckpointEntity } from './checkpoint.entity';
import { ConfigurationEntity } from './configuration.entity';
import { DatasetEntity } from './dataset.entity';
import { LocationEntity } from './location.entity';
import { SettingsEntity } from './settings.entity';

/**
 * Version of the read-model table layout that snapshots copy. Bump it when an entity's columns
 * change: older snapshots are then ignored (the log rebuilds the state), never misread.
 */
export const READ_MODEL_SCHEMA_VERSION = 1;

/** The tables a rebuild empties and refills from the log. */
export const READ_MODEL_TABLES = ['datasets', 'locations', 'settings', 'configurations'] as const;
export const READ_MODEL_ENTITIES = [DatasetEntity, LocationEntity, SettingsEntity, ConfigurationEntity, CheckpointEntity];
