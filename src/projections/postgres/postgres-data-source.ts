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
 * catalogs, tokens), the schema made by migrations at start-up (`migrationsRun`), never by
 * `synchronize`. With `schema`, every connection's search_path is that schema alone, so the
 * unqualified SQL of the adapters, the `fold` function and the migrations table all live there.
 */
export function postgresDataSourceOptions(options: PostgresReadModelOptions, entities: EntityClass[]): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    ...(options.schema ? { schema: options.schema } : {}),
    entities: [...READ_MODEL_ENTITIES, ...entities],
    migrations: READ_MODEL_MIGRATIONS,
    migrationsRun: true,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    extra: {
      types: connectionTypes,
      max: 10,
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    },
  };
}

/** Creates the schema if it is missing (migrations run inside it, so it must exist first), then opens the data source. */
export async function openPostgresDataSource(options: DataSourceOptions): Promise<DataSource> {
  const schema = (options as { schema?: string }).schema;
  if (schema) {
    const client = new Client({ connectionString: (options as { url: string }).url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await client.end();
    }
  }
  return new DataSource(options).initialize();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
