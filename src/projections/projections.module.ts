import { DynamicModule, Module } from '@nestjs/common';
import { GlobePointsReads } from './globe-points';
import { GlobeReadModel } from './globe-read-model';
import { LiveReadModels } from './live-read-models';
import { Projector } from './projector';
import { PostgresReadModelOptions, postgresReadModelsFromEnv } from './postgres/read-model-database-url';
import { READ_MODEL_PROVIDERS, readModelDatabase } from './read-model-database';
import { READ_MODEL_DB } from './sqlite/read-model-db';
import { EntityClass } from './sqlite/sqlite-read-models';
import { TargetStates } from './target-states';

/**
 * The read models and the projector, global. The database also holds the tables of other folders
 * (jobs, snapshots, backups, tokens); the app module names their entities, so that projections/
 * depends on none of the folders above it. `postgres` chooses the engine at start-up (options: PostgreSQL;
 * null: the SQLite file in DATA_DIR).
 */
@Module({})
export class ProjectionsModule {
  static forRoot(entities: EntityClass[], postgres: () => PostgresReadModelOptions | null = postgresReadModelsFromEnv): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      imports: [readModelDatabase(entities, postgres)],
      providers: [...READ_MODEL_PROVIDERS, Projector, GlobeReadModel],
      exports: [Projector, GlobeReadModel, GlobePointsReads, LiveReadModels, TargetStates, READ_MODEL_DB],
    };
  }
}
