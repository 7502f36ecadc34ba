import { MigrationInterface, QueryRunner } from 'typeorm';

/** Text compared byte by byte, as SQLite's BINARY collation does: ids, names and times sort the same on both engines. */
const T = 'text COLLATE "C"';

/**
 * The initial PostgreSQL schema of everything the read-model database holds: the read models and
 * their checkpoint, jobs, scheduled-run claims, snapshot and backup catalogs, backup copies, API
 * tokens. Column for column the SQLite tables TypeORM creates from the entities, with the same
 * index names and columns; where the engines differ:
 * - `real` (8 bytes in SQLite) is `double precision` here (`real` would be 4 bytes: coordinates
 *   would lose digits); positions and byte sizes are `bigint` (SQLite's integer is 8 bytes), read
 *   back as numbers (postgres-data-source.ts);
 * - text is `COLLATE "C"` (see T);
 * - `fold(text)`, the search function SQLite registers per connection (sql-functions.ts), is a SQL
 *   function: NFKD, combining marks removed, lower-cased by ICU's root locale.
 * Each later change is a new migration; `synchronize` is never on for PostgreSQL.
 */
export class InitialSchema1764806400000 implements MigrationInterface {
  name = 'InitialSchema1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE projection_checkpoints (name ${T} PRIMARY KEY, position bigint NOT NULL)`);
    await q.query(
      `CREATE TABLE datasets (id ${T} PRIMARY KEY, name ${T} NOT NULL, description ${T} NOT NULL, color ${T} NOT NULL, visible integer NOT NULL,
        source ${T}, column_mapping ${T} NOT NULL, created_at ${T} NOT NULL, updated_at ${T} NOT NULL)`,
    );
    await q.query(
      `CREATE TABLE locations (id ${T} PRIMARY KEY, dataset_id ${T} NOT NULL, name ${T} NOT NULL, latitude double precision NOT NULL,
        longitude double precision NOT NULL, quantity double precision, properties ${T} NOT NULL, created_at ${T} NOT NULL, updated_at ${T} NOT NULL)`,
    );
    await q.query('CREATE INDEX locations_dataset_id ON locations (dataset_id, id)');
    await q.query(`CREATE TABLE settings (id ${T} PRIMARY KEY, document ${T} NOT NULL)`);
    await q.query(
      `CREATE TABLE configurations (id ${T} PRIMARY KEY, kind ${T} NOT NULL, name ${T} NOT NULL, value ${T} NOT NULL, created_at ${T} NOT NULL, updated_at ${T} NOT NULL)`,
    );
    await q.query(`CREATE TABLE jobs (id ${T} PRIMARY KEY, kind ${T} NOT NULL, state ${T} NOT NULL, view ${T} NOT NULL, created_at ${T} NOT NULL)`);
    await q.query('CREATE INDEX jobs_kind_state ON jobs (kind, state)');
    await q.query(`CREATE TABLE scheduled_runs (slot ${T} PRIMARY KEY, claimed_at ${T} NOT NULL, pid integer NOT NULL)`);
    await q.query(
      `CREATE TABLE snapshots (id ${T} PRIMARY KEY, position bigint NOT NULL, recorded_at ${T}, schema_version integer NOT NULL, state_hash ${T} NOT NULL,
        chain_head ${T}, file ${T} NOT NULL, file_sha256 ${T} NOT NULL, bytes bigint NOT NULL, counts ${T} NOT NULL, reason ${T} NOT NULL,
        status ${T} NOT NULL, created_at ${T} NOT NULL)`,
    );
    await q.query('CREATE INDEX snapshots_position ON snapshots (position)');
    await q.query(
      `CREATE TABLE backups (id ${T} PRIMARY KEY, key ${T} NOT NULL, kind ${T} NOT NULL, created_at ${T} NOT NULL, size bigint NOT NULL,
        counts ${T} NOT NULL, format ${T} NOT NULL, compression ${T} NOT NULL, encrypted integer NOT NULL, key_id ${T}, storage ${T} NOT NULL,
        head_position bigint NOT NULL, state_hash ${T} NOT NULL, includes_history integer NOT NULL, last_verified_at ${T}, last_verify_result ${T},
        last_drill_at ${T}, last_drill_result ${T}, actor ${T} NOT NULL, label ${T}, original_id ${T})`,
    );
    await q.query('CREATE INDEX backups_created_at ON backups (created_at)');
    await q.query(
      `CREATE TABLE backup_copies (backup_id ${T} NOT NULL, storage ${T} NOT NULL, key ${T} NOT NULL, state ${T} NOT NULL, size bigint,
        attempts integer NOT NULL DEFAULT 0, next_attempt_at ${T}, last_error ${T}, verified_at ${T}, updated_at ${T} NOT NULL,
        PRIMARY KEY (backup_id, storage))`,
    );
    await q.query('CREATE INDEX backup_copies_due ON backup_copies (state, next_attempt_at)');
    await q.query(
      `CREATE TABLE api_tokens (id ${T} PRIMARY KEY, name ${T} NOT NULL UNIQUE, role ${T} NOT NULL, hash ${T} NOT NULL UNIQUE,
        created_at ${T} NOT NULL, created_by ${T} NOT NULL, expires_at ${T}, revoked_at ${T})`,
    );
    await q.query(
      `CREATE FUNCTION fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
        $$ SELECT lower(regexp_replace(normalize(value, NFKD), '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]', '', 'g') COLLATE "und-x-icu") $$`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION fold(text)');
    for (const table of ['api_tokens', 'backup_copies', 'backups', 'snapshots', 'scheduled_runs', 'jobs', 'configurations', 'settings', 'locations', 'datasets', 'projection_checkpoints']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
