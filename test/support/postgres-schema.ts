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
 * the URL whose connections use it (search_path in the startup options). `drop` removes it and
 * everything in it.
 */
export function testSchema(prefix = 'gv_test'): { name: string; url: string; drop(): Promise<void> } {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const url = new URL(DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
