import Database from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { EventStore } from '../events/event-store';
import { EVENT_COLUMNS, EventRow } from '../events/sqlite/event-row';
import { toConfiguration, toDataset, toLocation } from '../projections/row-mappers';
import { checkpointOf } from '../projections/sqlite/read-model-schema';
import { BackupRecord, RecordLines } from './format/backup-record';
import { eventRowLine, locationRowLine, LOCATION_ROW_COLUMNS } from './stored-row-lines';

const YIELD_EVERY = 2000;
/** Rows copied as lines are handed to the writer in pieces of about this many characters. */
const LINES_CHARS = 64 * 1024;

/**
 * Where a backup's history comes from: the embedded log's SQLite file, its rows copied into the
 * backup as stored (no parse, no re-serialization: the writer's check thread reads every line as a
 * reader will), or any EventStore through `readAll`.
 */
export type HistorySource = { logFile: string } | { store: EventStore };

/**
 * The whole state at one log position, read from the read models through a connection of its own
 * inside one read transaction: WAL gives it a fixed view, so the backup is the state at exactly
 * `position` however many writes land meanwhile. Rows are streamed in id order (the order the
 * state hash needs) and the event loop is yielded to regularly. Call `close()` when done.
 */
export class StateReader {
  private readonly db: Database.Database;
  readonly position: number;

  constructor(readModelsPath: string) {
    this.db = new Database(readModelsPath, { readonly: true });
    this.db.exec('BEGIN');
    this.position = checkpointOf(this.db);
  }

  /** The state records (datasets, locations, settings, configurations) as objects: for the foreign formats. */
  async *records(signal?: AbortSignal): AsyncIterable<BackupRecord> {
    const pause = this.pauser(signal);
    yield* this.datasets(pause);
    for (const row of this.rows('SELECT id, dataset_id AS datasetId, name, latitude, longitude, quantity, properties, created_at, updated_at FROM locations ORDER BY id')) {
      yield { t: 'location', v: toLocation(row as never) };
      await pause();
    }
    yield* this.settingsAndConfigurations(pause);
  }

  /**
   * What a native backup holds, in file order: the state (locations as lines made from their rows),
   * then the events up to `position` when a history source is given.
   */
  async *lines(history: HistorySource | null, signal?: AbortSignal): AsyncIterable<BackupRecord | RecordLines> {
    const pause = this.pauser(signal);
    yield* this.datasets(pause);
    let piece: RecordLines = { ndjson: '', records: 0 };
    for (const row of this.db.prepare(`SELECT ${LOCATION_ROW_COLUMNS} FROM locations ORDER BY id`).raw().iterate() as IterableIterator<unknown[]>) {
      piece.ndjson += locationRowLine(row);
      piece.records += 1;
      if (piece.ndjson.length >= LINES_CHARS) {
        yield piece;
        piece = { ndjson: '', records: 0 };
      }
      await pause();
    }
    if (piece.records) yield piece;
    yield* this.settingsAndConfigurations(pause);
    if (!history) return;
    if ('store' in history) {
      for await (const event of history.store.readAll({ toPosition: this.position })) {
        yield { t: 'event', v: event as unknown as Extract<BackupRecord, { t: 'event' }>['v'] };
        await pause();
      }
      return;
    }
    const log = new Database(history.logFile, { readonly: true });
    try {
      log.exec('BEGIN');
      for (const row of log.prepare(`SELECT ${EVENT_COLUMNS}, hash FROM events WHERE position <= ? ORDER BY position`).iterate(this.position) as IterableIterator<EventRow & { hash: string | null }>) {
        yield { ndjson: eventRowLine(row), records: 1 };
        await pause();
      }
    } finally {
      log.close();
    }
  }

  /** How many records `records` yields (a known total for progress): `firstPosition` is the log's first event (after a compaction, not 1). */
  recordCount(includeHistory: boolean, firstPosition: number): number {
    const count = (t: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    const events = includeHistory && firstPosition > 0 ? Math.max(0, this.position - firstPosition + 1) : 0;
    return count('datasets') + count('locations') + 1 + count('configurations') + events;
  }

  hasDataset(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(id) !== undefined;
  }

  /** Every property name the locations use (of one dataset, or all), sorted: the extra columns of a CSV export. */
  propertyKeys(datasetId?: string): string[] {
    const where = datasetId === undefined ? '' : 'WHERE l.dataset_id = ?';
    const sql = `SELECT DISTINCT j.key AS key FROM locations l, json_each(l.properties) j ${where} ORDER BY j.key`;
    return (this.db.prepare(sql).all(...(datasetId === undefined ? [] : [datasetId])) as { key: string }[]).map((r) => r.key);
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }

  private async *datasets(pause: () => Promise<void>): AsyncIterable<BackupRecord> {
    for (const row of this.rows('SELECT id, name, description, color, visible, source, column_mapping AS columnMapping, created_at, updated_at FROM datasets ORDER BY id')) {
      yield { t: 'dataset', v: toDataset(row as never) };
      await pause();
    }
  }

  private async *settingsAndConfigurations(pause: () => Promise<void>): AsyncIterable<BackupRecord> {
    const settings = this.db.prepare("SELECT document FROM settings WHERE id = 'app'").get() as { document: string } | undefined;
    yield { t: 'settings', v: { ...DEFAULT_SETTINGS, ...(settings ? JSON.parse(settings.document) : {}) } };
    for (const row of this.rows('SELECT * FROM configurations ORDER BY id')) {
      yield { t: 'configuration', v: toConfiguration(row as never) };
      await pause();
    }
  }

  /** Yields to the event loop every YIELD_EVERY rows (other requests go on), checking `signal` then. */
  private pauser(signal?: AbortSignal): () => Promise<void> {
    let n = 0;
    return async () => {
      if (++n % YIELD_EVERY === 0) {
        signal?.throwIfAborted();
        await yieldToEventLoop();
      }
    };
  }

  private rows(sql: string): IterableIterator<unknown> {
    return this.db.prepare(sql).iterate() as IterableIterator<unknown>;
  }
}
