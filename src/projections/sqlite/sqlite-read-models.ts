import { DynamicModule, Provider } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { EntitySchema } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { LiveReadModels } from '../live-read-models';
import { GlobePointsReads } from '../globe-points';
import { TargetStates } from '../target-states';
import { READ_MODEL_DB, rawConnection } from './read-model-db';
import { registerSqlFunctions } from './sql-functions';
import { SqliteGlobePoints } from './sqlite-globe-points';
import { SqliteLiveReadModels } from './sqlite-live-read-models';
import { SqliteTargetStates } from './sqlite-target-states';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function | EntitySchema;

/**
 * Read models live in their own file, `<DATA_DIR>/read-models.sqlite`, apart from the log: they can
 * be deleted and rebuilt at any time. synchronous=NORMAL is enough here because the checkpoint
 * commits with the rows: a power cut loses at most the last slices, which the projector re-applies.
 * TypeORM creates the tables (synchronize); it never touches the log's file. `entities` are the
 * other tables the file holds (jobs, snapshot and backup records, tokens).
 */
export function sqliteReadModelDatabase(entities: EntityClass[]): DynamicModule {
  return TypeOrmModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      type: 'better-sqlite3' as const,
      database: join(config.values.dataDir, 'read-models.sqlite'),
      entities: [...READ_MODEL_ENTITIES, ...entities],
      synchronize: true,
      prepareDatabase: (db: Database.Database) => {
        registerSqlFunctions(db);
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 10000');
      },
    }),
  });
}

/** The ports' SQLite adapters, and the raw connection (for the adapters and the workers' paths only). */
export const SQLITE_READ_MODEL_PROVIDERS: Provider[] = [
  { provide: READ_MODEL_DB, inject: [getDataSourceToken()], useFactory: rawConnection },
  { provide: LiveReadModels, useClass: SqliteLiveReadModels },
  { provide: TargetStates, useClass: SqliteTargetStates },
  { provide: GlobePointsReads, useClass: SqliteGlobePoints },
];
