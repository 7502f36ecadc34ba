/** A schema name that can be spliced into SQL as an identifier: lowercase, as PostgreSQL folds it. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkedSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name for the event store: ${JSON.stringify(schema)}`);
  return schema;
}

/**
 * The log's tables in `schema`, created idempotently at start-up (IF NOT EXISTS: every process may
 * run it, concurrently; the CREATEs run under the log's advisory lock, see PostgresEventStore.open).
 *
 * `events`: as the SQLite log (events-schema.sql.ts) column for column (data and metadata are the
 * exact JSON text the hash chain covers, so `text`, never `jsonb`, which would rewrite it), plus
 * - `epoch`: the log's epoch when the row was appended (see `head`), and
 * - `transaction_id`: the appending transaction's id (xid8, 64-bit: no wraparound), the key of the
 *   read horizon (postgres-horizon.ts).
 * `position` is assigned by the appender under the log's lock, never by a sequence (see `head`).
 *
 * `head`: one row, the write side's truth about the end of the log, updated by every append in its
 * transaction: the last position, its chain hash and recorded_at (what the next append chains to and
 * never goes below), the epoch, and `last_xid`, the transaction id of the last append.
 * A dump and restore into another cluster starts transaction ids again from a low value; an
 * appender that finds its own id not above `last_xid` knows that happened and starts a new epoch.
 *
 * `chain_base`: as `events_chain_base` in SQLite: the chain head just before the first remaining
 * event once the front of the log was removed.
 */
export function eventsSchemaSql(schema: string): string {
  const s = checkedSchema(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.events (
  position       bigint  PRIMARY KEY,
  event_id       text    NOT NULL UNIQUE,
  stream         text    NOT NULL,
  revision       integer NOT NULL,
  type           text    NOT NULL,
  schema_version integer NOT NULL,
  data           text    NOT NULL,
  metadata       text    NOT NULL,
  recorded_at    bigint  NOT NULL,
  hash           text    NOT NULL,
  epoch          integer NOT NULL,
  transaction_id xid8    NOT NULL DEFAULT pg_current_xact_id(),
  UNIQUE (stream, revision)
);
CREATE TABLE IF NOT EXISTS ${s}.head (
  id          integer PRIMARY KEY CHECK (id = 1),
  position    bigint  NOT NULL,
  hash        text    NOT NULL,
  recorded_at bigint  NOT NULL,
  epoch       integer NOT NULL,
  last_xid    xid8    NOT NULL
);
INSERT INTO ${s}.head (id, position, hash, recorded_at, epoch, last_xid)
  VALUES (1, 0, '${'0'.repeat(64)}', 0, 1, '0'::xid8) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS ${s}.chain_base (
  id       integer PRIMARY KEY CHECK (id = 1),
  position bigint  NOT NULL,
  hash     text    NOT NULL
);`;
}

/** The columns a RecordedEvent is read from (EventRow, sqlite/event-row.ts), and with the hash. */
export const PG_EVENT_COLUMNS = 'position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at';
