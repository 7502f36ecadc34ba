import { Client, types } from 'pg';
import { DataSource, DataSourceOptions, EntitySchema } from 'typeorm';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { READ_MODEL_MIGRATIONS } from './migrations';
import type { PostgresReadModelOptions } from './read-model-database-url';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityClass = Function | EntitySchema;

const INT8 = 20;

/**
 * bigint (positions, byte sizes, count(*)) as a JavaScript number, as SQLite's integers are read:
 * exact up to 2^53, refused above rather than rounded. Set per connection (the pool's `types`),
 * never on pg's global parsers, which other PostgreSQL code in the process may rely on.
 */
const parseInt8 = (text: string): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`bigint ${text} is beyond a JavaScript number's exact range`);
  return value;
};
const connectionTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 && format !== 'binary' ? parseInt8 : types.getTypeParser(oid, format)),
};

/**
 * The TypeORM options of the PostgreSQL read-model database: the read models and `entities` (jobs,
 * catalogs, tokens), the schema made by migrations at start-up (openPostgresDataSource runs them,
 * under a lock), never by `synchronize`. With `schema`, every connection's search_path is that schema alone, so the
 * unqualified SQL of the adapters, the `fold` function and the migrations table all live there.
 */
export function postgresDataSourceOptions(options: PostgresReadModelOptions, entities: EntityClass[]): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    ...(options.schema ? { schema: options.schema } : {}),
    entities: [...READ_MODEL_ENTITIES, ...entities],
    migrations: READ_MODEL_MIGRATIONS,
    // Run by openPostgresDataSource, not by TypeORM's initialize(): there under an advisory lock.
    migrationsRun: false,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    extra: {
      types: connectionTypes,
      max: 10,
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    },
  };
}

/** Any fixed number: the advisory lock instances take turns on to migrate one database. */
const MIGRATION_LOCK = 0x67765f72;

/**
 * Creates the schema if it is missing (migrations run inside it, so it must exist first), opens
 * the data source, and runs the pending migrations (each in its own transaction), all while holding
 * a PostgreSQL advisory lock (released when its session ends, even on failure): instances starting
 * together on one database migrate it once, one after the other, instead of racing.
 */
export async function openPostgresDataSource(options: DataSourceOptions): Promise<DataSource> {
  const schema = (options as { schema?: string }).schema;
  const lock = new Client({ connectionString: (options as { url: string }).url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // Under the lock too: concurrent CREATE SCHEMA IF NOT EXISTS can still collide in PostgreSQL.
    if (schema) await lock.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    const dataSource = await new DataSource(options).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      return dataSource;
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  } finally {
    await lock.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
