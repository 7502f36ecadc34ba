import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL the tests use: DATABASE_URL (`.ci/run` points it at the local server), or null: skip. */
export const testDatabaseUrl = (): string | null => process.env.DATABASE_URL || null;

/** Why PostgreSQL specs are skipped here, or null when they run. */
export const postgresSkipReason = (): string | null => (testDatabaseUrl() ? null : 'DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');

/** A schema name no other run uses (specs run in parallel on one database); created by the store itself. */
export const freshSchemaName = (): string => `gv_test_${randomBytes(6).toString('hex')}`;

/** Drops the schemas (and all they hold). */
export async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
