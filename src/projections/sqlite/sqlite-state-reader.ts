import Database from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { toConfiguration, toDataset, toLocation } from '../row-mappers';
import { StateReader } from '../state-reader';
import { RecordLines, StateRecord } from '../state-records';
import type { StateCounts } from '../target-state';
import { checkpointOf, stateCounts } from './database-state';
import { locationRowLine, LOCATION_ROW_COLUMNS } from './location-row-lines';

const YIELD_EVERY = 2000;
/** Rows copied as lines are handed to the writer in pieces of about this many characters. */
const LINES_CHARS = 64 * 1024;

/**
 * StateReader on a read-model SQLite file (the live one or a state file), through a connection of
 * its own inside one read transaction: WAL gives it a fixed view, so a backup is the state at
 * exactly `position` however many writes land meanwhile.
 */
export class SqliteStateReader implements StateReader {
  private readonly db: Database.Database;
  readonly position: number;

  constructor(readModelsPath: string) {
    this.db = new Database(readModelsPath, { readonly: true });
    this.db.exec('BEGIN');
    this.position = checkpointOf(this.db);
  }

  /** The state records (datasets, locations, settings, configurations) as objects: for the foreign formats. */
  async *records(signal?: AbortSignal): AsyncIterable<StateRecord> {
    const pause = this.pauser(signal);
    yield* this.datasets(pause);
    for (const row of this.rows('SELECT id, dataset_id AS datasetId, name, latitude, longitude, quantity, properties, created_at, updated_at FROM locations ORDER BY id')) {
      yield { t: 'location', v: toLocation(row as never) };
      await pause();
    }
    yield* this.settingsAndConfigurations(pause);
  }

  /** The state in file order, locations as lines made from their rows. */
  async *lines(signal?: AbortSignal): AsyncIterable<StateRecord | RecordLines> {
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
  }

  counts(): StateCounts {
    return stateCounts(this.db);
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

  private async *datasets(pause: () => Promise<void>): AsyncIterable<StateRecord> {
    for (const row of this.rows('SELECT id, name, description, color, visible, source, column_mapping AS columnMapping, created_at, updated_at FROM datasets ORDER BY id')) {
      yield { t: 'dataset', v: toDataset(row as never) };
      await pause();
    }
  }

  private async *settingsAndConfigurations(pause: () => Promise<void>): AsyncIterable<StateRecord> {
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
