import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

/** DATABASE_URL when set (`.ci/run` sets it); specs that need PostgreSQL skip, saying so, when it is not. */
export const DATABASE_URL = process.env.DATABASE_URL;

/** `describe`, or `describe.skip` with a warning naming the spec, as DATABASE_URL says. */
export function describeWithPostgres(name: string, fn: () => void): void {
  if (DATABASE_URL) return describe(name, fn);
  console.warn(`${name}: skipped, DATABASE_URL is not set (a PostgreSQL server is needed)`);
  // The body is not run (it would need the server to set up): one skipped test says why.
  describe.skip(name, () => it.skip('needs a PostgreSQL server at DATABASE_URL', () => undefined));
}

/**
 * A fresh schema of its own for one spec (parallel specs share the server, never a table), and
 * the URL whose connections use it (search_path in the startup options). `create` makes it (an
 * app given the URL alone needs it to exist), `drop` removes it and everything in it.
 */
export function testSchema(prefix = 'gv_test'): { name: string; url: string; create(): Promise<void>; drop(): Promise<void> } {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const url = new URL(DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    create: () => adminQuery(`CREATE SCHEMA IF NOT EXISTS "${name}"`),
    drop: () => adminQuery(`DROP SCHEMA IF EXISTS "${name}" CASCADE`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
