import Database from 'better-sqlite3';
import { join } from 'node:path';
import { EntitySchema } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { registerSqlFunctions } from './sql-functions';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function | EntitySchema;

/**
 * Read models live in their own file, `<DATA_DIR>/read-models.sqlite`, apart from the log: they can
 * be deleted and rebuilt at any time. synchronous=NORMAL is enough here because the checkpoint
 * commits with the rows: a power cut loses at most the last slices, which the projector re-applies.
 * TypeORM creates the tables (synchronize); it never touches the log's file. `entities` are the
 * other tables the file holds (jobs, snapshot and backup records, tokens).
 */
export function sqliteDataSourceOptions(config: AppConfig, entities: EntityClass[]) {
  return {
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
  };
}
