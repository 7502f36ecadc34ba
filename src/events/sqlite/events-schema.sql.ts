/**
 * The log's table. `position` is the rowid: assigned max+1 inside the writing transaction, so it
 * is strictly increasing and has no gaps (rows are only ever deleted from the front, by opt-in log
 * compaction). `recorded_at` is epoch milliseconds. `event_id` is unique for idempotent retries;
 * `(stream, revision)` is unique for optimistic concurrency and indexes stream reads.
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
  UNIQUE (stream, revision)
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
