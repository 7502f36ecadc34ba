/** Where the read models, jobs and catalogs live when not in the embedded SQLite file. */
export interface PostgresReadModelOptions {
  /** A postgres:// connection string. */
  url: string;
  /** The schema to create and use (default: the connection's search_path, usually `public`); tests use one each. */
  schema?: string;
}

/**
 * The start-up switch (issue #16): PostgreSQL holds the read models, jobs and catalogs whenever
 * DATABASE_URL is set with an event store other than the embedded SQLite one (EVENT_STORE set and
 * not `sqlite`); otherwise null, the SQLite file. Reads the environment when called (at start-up,
 * as the app module is built), so a test's overrides apply. The lead reroutes this through
 * AppConfig once EVENT_STORE and DATABASE_URL are in its schema.
 */
export function postgresReadModelsFromEnv(env: NodeJS.ProcessEnv = process.env): PostgresReadModelOptions | null {
  const url = env.DATABASE_URL;
  const store = env.EVENT_STORE;
  if (!url || !store || store === 'sqlite') return null;
  return { url };
}
