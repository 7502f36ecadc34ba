import Database from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { EventStore } from '../events/event-store';
import { toConfiguration, toDataset, toLocation } from '../projections/row-mappers';
import { checkpointOf } from '../snapshots/read-model-schema';
import { BackupRecord } from './format/backup-record';

const YIELD_EVERY = 2000;

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

  /** State records (datasets, locations, settings, configurations), then the events up to `position` when asked. */
  async *records(store: EventStore | null, signal?: AbortSignal): AsyncIterable<BackupRecord> {
    let n = 0;
    const pause = async () => {
      if (++n % YIELD_EVERY === 0) {
        signal?.throwIfAborted();
        await yieldToEventLoop();
      }
    };
    for (const row of this.rows('SELECT id, name, description, color, visible, source, column_mapping AS columnMapping, created_at, updated_at FROM datasets ORDER BY id')) {
      yield { t: 'dataset', v: toDataset(row as never) };
      await pause();
    }
    for (const row of this.rows('SELECT id, dataset_id AS datasetId, name, latitude, longitude, quantity, properties, created_at, updated_at FROM locations ORDER BY id')) {
      yield { t: 'location', v: toLocation(row as never) };
      await pause();
    }
    const settings = this.db.prepare("SELECT document FROM settings WHERE id = 'app'").get() as { document: string } | undefined;
    yield { t: 'settings', v: { ...DEFAULT_SETTINGS, ...(settings ? JSON.parse(settings.document) : {}) } };
    for (const row of this.rows('SELECT * FROM configurations ORDER BY id')) {
      yield { t: 'configuration', v: toConfiguration(row as never) };
      await pause();
    }
    if (!store) return;
    for await (const event of store.readAll({ toPosition: this.position })) {
      yield { t: 'event', v: event as unknown as Extract<BackupRecord, { t: 'event' }>['v'] };
      await pause();
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

  private rows(sql: string): IterableIterator<unknown> {
    return this.db.prepare(sql).iterate() as IterableIterator<unknown>;
  }
}
