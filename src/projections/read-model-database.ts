import { DynamicModule, Provider } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppError } from '../common/app-error';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { GlobePointsReads } from './globe-points';
import { LiveReadModels } from './live-read-models';
import { openPostgresDataSource, postgresDataSourceOptions } from './postgres/postgres-data-source';
import { PostgresLiveReadModels } from './postgres/postgres-live-read-models';
import { PostgresLiveStateFile } from './postgres/postgres-live-state-file';
import type { PostgresReadModelOptions } from './postgres/read-model-database-url';
import { READ_MODEL_DB, rawConnection } from './sqlite/read-model-db';
import { EntityClass, sqliteDataSourceOptions } from './sqlite/sqlite-read-models';
import { EngineGlobePoints } from './engine-globe-points';
import { SqliteLiveReadModels } from './sqlite/sqlite-live-read-models';
import { SqliteTargetStates } from './sqlite/sqlite-target-states';
import { stateSchemaTemplate } from './sqlite/state-schema';
import { TargetStates } from './target-states';

const isPostgres = (dataSource: DataSource) => dataSource.options.type === 'postgres';

/**
 * The read-model database, chosen at start-up (when the module tree is built, so a test's
 * environment applies): PostgreSQL when `postgres()` answers options (read models, jobs, catalogs
 * and tokens there, schema by migrations), the SQLite file in DATA_DIR otherwise.
 */
export function readModelDatabase(entities: EntityClass[], postgres: () => PostgresReadModelOptions | null): DynamicModule {
  return TypeOrmModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => {
      const options = postgres();
      return options ? postgresDataSourceOptions(options, entities) : sqliteDataSourceOptions(config, entities);
    },
    dataSourceFactory: async (options?: DataSourceOptions) => {
      if (!options) throw new Error('read-model database: no options');
      return options.type === 'postgres' ? openPostgresDataSource(options) : new DataSource(options).initialize();
    },
  });
}

/**
 * The ports' adapters for the engine chosen. Past and backed-up states (TargetStates) are scratch
 * SQLite files on either engine (issue #16 allows it); beside PostgreSQL their schema comes from
 * state-schema.ts and they compare with an exported copy of the live state. READ_MODEL_DB, the raw
 * SQLite handle, exists on the SQLite engine only: on PostgreSQL any use of it fails with
 * READ_MODELS.NOT_SQLITE, naming the path that has not moved behind a port yet.
 */
export const READ_MODEL_PROVIDERS: Provider[] = [
  {
    provide: READ_MODEL_DB,
    inject: [getDataSourceToken()],
    useFactory: (dataSource: DataSource) => (isPostgres(dataSource) ? noRawSqliteHandle() : rawConnection(dataSource)),
  },
  {
    provide: LiveReadModels,
    inject: [getDataSourceToken(), AppConfig],
    useFactory: (dataSource: DataSource, config: AppConfig) =>
      isPostgres(dataSource) ? new PostgresLiveReadModels(dataSource, tmpDirOf(config)) : new SqliteLiveReadModels(rawConnection(dataSource)),
  },
  // Per state: the live one may be in PostgreSQL, past and backed-up states are SQLite scratch files.
  { provide: GlobePointsReads, useClass: EngineGlobePoints },
  {
    provide: TargetStates,
    inject: [getDataSourceToken(), LiveReadModels, AppConfig],
    useFactory: async (dataSource: DataSource, live: LiveReadModels, config: AppConfig) => {
      if (!isPostgres(dataSource)) return new SqliteTargetStates(rawConnection(dataSource));
      return new SqliteTargetStates(await stateSchemaTemplate(), new PostgresLiveStateFile(live, tmpDirOf(config)));
    },
  },
];

/** Names Nest and promises look up on any provider value: answered as absent, so only a real use fails. */
const PROBED = new Set(['then', 'onModuleInit', 'onApplicationBootstrap', 'onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown', 'constructor']);

function noRawSqliteHandle(): object {
  return new Proxy({}, {
    get(_target, property) {
      if (typeof property === 'symbol' || PROBED.has(property)) return undefined;
      throw new AppError('READ_MODELS.NOT_SQLITE', `the read models are in PostgreSQL: this path still needs the SQLite read-model file (${property})`, 501);
    },
  });
}
