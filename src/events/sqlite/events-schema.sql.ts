/**
 * The log's table. `position` is the rowid: assigned max+1 inside the writing transaction, so it
 * is strictly increasing and has no gaps (rows are only ever deleted from the front, by opt-in log
 * compaction). `recorded_at` is epoch milliseconds. `event_id` is unique for idempotent retries;
 * `(stream, revision)` is unique for optimistic concurrency and indexes stream reads. `hash` is the
 * event's link in the hash chain (events/event-chain.ts), hex; NULL only in a log written before the
 * chain existed, until the start-up migration (chain-migration.ts) has reached it.
 *
 * `events_chain_base` holds, once the front of the log was removed (log compaction) or a log
 * migrated already compacted, the chain head just before the first remaining event: where
 * verification starts. One row at most.
 */
export const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  event_id       TEXT    NOT NULL UNIQUE,
  stream         TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  recorded_at    INTEGER NOT NULL,
  hash           TEXT,
  UNIQUE (stream, revision)
);
CREATE TABLE IF NOT EXISTS events_chain_base (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  position INTEGER NOT NULL,
  hash     TEXT    NOT NULL
);`;

/**
 * WAL with synchronous=FULL: an acknowledged append survives a power cut, not only a crash of the
 * process (NORMAL in WAL mode may lose the last commits on power loss). Batching appends keeps the
 * cost of the fsync per commit small. 8 KiB pages for a new log (an existing file keeps its own):
 * rows of a few hundred bytes to a few hundred kilobytes fill them with less per-page overhead
 * (−7 % CPU per insert measured beside 4 KiB pages, BENCHMARKS.md, append); it must come first,
 * before anything writes the file's header.
 */
export const EVENTS_PRAGMAS = ['page_size = 8192', 'journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 10000', 'cache_size = -16384'];
