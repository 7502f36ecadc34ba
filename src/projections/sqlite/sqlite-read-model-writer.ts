import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { RecordedEvent } from '../../events/event-store';
import { READ_MODEL_TABLES } from '../entities/read-model-entities';

const SETTINGS_ID = 'app';

/**
 * Applies events to the read-model tables with prepared statements, mirroring domain/evolve.ts
 * rule for rule (the rebuild spec proves they agree). TypeORM owns the schema and the queries;
 * this hot path bypasses it because a bulk import writes a million rows through here (TypeORM's
 * `insert` runs at about a quarter of a prepared statement's rate; see BENCHMARKS.md).
 *
 * Guarantee: `apply` writes the rows and the checkpoint in one transaction, so after a crash the
 * read models and the checkpoint agree and the projector resumes exactly where it stopped.
 */
export class SqliteReadModelWriter {
  private readonly stmt;
  private readonly applyInTransaction: Database.Transaction<(events: RecordedEvent[], checkpoint: string) => void>;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      upsertDataset: db.prepare(
        `INSERT OR REPLACE INTO datasets (id, name, description, color, visible, source, column_mapping, created_at, updated_at)
         VALUES (@id, @name, @description, @color, @visible, @source, @column_mapping, @created_at, @updated_at)`,
      ),
      getDataset: db.prepare<[string], Record<string, unknown>>('SELECT * FROM datasets WHERE id = ?'),
      deleteDataset: db.prepare('DELETE FROM datasets WHERE id = ?'),
      deleteDatasetLocations: db.prepare('DELETE FROM locations WHERE dataset_id = ?'),
      // ON CONFLICT … DO UPDATE rewrites the row in place; INSERT OR REPLACE deleted and re-inserted
      // it, touching the table and both indexes (BENCHMARKS.md, pitr).
      upsertLocation: db.prepare(
        `INSERT INTO locations (id, dataset_id, name, latitude, longitude, quantity, properties, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET dataset_id = excluded.dataset_id, name = excluded.name, latitude = excluded.latitude,
           longitude = excluded.longitude, quantity = excluded.quantity, properties = excluded.properties,
           created_at = excluded.created_at, updated_at = excluded.updated_at`,
      ),
      // One statement per change, the row read by SQLite itself: a field the event leaves out keeps its value.
      updateLocation: db.prepare(
        'UPDATE locations SET name = coalesce(?, name), latitude = coalesce(?, latitude), longitude = coalesce(?, longitude), ' +
          'quantity = CASE WHEN ? THEN ? ELSE quantity END, properties = coalesce(?, properties), updated_at = ? WHERE id = ? AND dataset_id = ?',
      ),
      deleteLocation: db.prepare('DELETE FROM locations WHERE id = ? AND dataset_id = ?'),
      getSettings: db.prepare<[string], { document: string }>('SELECT document FROM settings WHERE id = ?'),
      upsertSettings: db.prepare('INSERT OR REPLACE INTO settings (id, document) VALUES (?, ?)'),
      upsertConfiguration: db.prepare(
        `INSERT OR REPLACE INTO configurations (id, kind, name, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      deleteConfiguration: db.prepare('DELETE FROM configurations WHERE id = ?'),
      getCheckpoint: db.prepare<[string], { position: number }>('SELECT position FROM projection_checkpoints WHERE name = ?'),
      setCheckpoint: db.prepare('INSERT OR REPLACE INTO projection_checkpoints (name, position) VALUES (?, ?)'),
    };
    this.applyInTransaction = db.transaction((events: RecordedEvent[], checkpoint: string) => {
      for (const event of events) this.applyOne(event);
      if (events.length > 0) this.stmt.setCheckpoint.run(checkpoint, events[events.length - 1].position);
    });
  }

  checkpoint(name: string): number {
    return this.stmt.getCheckpoint.get(name)?.position ?? 0;
  }

  apply(events: RecordedEvent[], checkpoint: string): void {
    this.applyInTransaction.immediate(events, checkpoint);
  }

  /** Empties every read model and resets the checkpoint, atomically: the next apply starts from position 1. */
  reset(checkpoint: string): void {
    this.db.transaction(() => {
      for (const table of READ_MODEL_TABLES) this.db.prepare(`DELETE FROM ${table}`).run();
      this.stmt.setCheckpoint.run(checkpoint, 0);
    }).immediate();
  }

  /** Copies a whole state (read-model tables of another database file) in, with its checkpoint, atomically. */
  loadState(path: string, checkpoint: string): void {
    this.db.prepare('ATTACH DATABASE ? AS base').run(path);
    try {
      this.db.transaction(() => {
        for (const table of READ_MODEL_TABLES) this.db.prepare(`INSERT INTO main.${table} SELECT * FROM base.${table}`).run();
        const position = (this.db.prepare("SELECT position FROM base.projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined)?.position ?? 0;
        this.stmt.setCheckpoint.run(checkpoint, position);
      }).immediate();
    } finally {
      this.db.exec('DETACH DATABASE base');
    }
  }

  private applyOne(event: RecordedEvent): void {
    const s = this.stmt;
    switch (event.type) {
      case 'DatasetCreated': {
        const d = event.data.dataset;
        s.upsertDataset.run({
          ...d,
          visible: d.visible ? 1 : 0,
          source: d.source ? JSON.stringify(d.source) : null,
          column_mapping: JSON.stringify(d.columnMapping),
        });
        return;
      }
      case 'DatasetUpdated':
        return this.updateDataset(event.data.datasetId, { ...encodeDatasetChanges(event.data.changes), updated_at: event.data.updated_at });
      case 'DatasetImported':
        return this.updateDataset(event.data.datasetId, { source: JSON.stringify(event.data.source), updated_at: event.data.updated_at });
      case 'DatasetDeleted':
        s.deleteDatasetLocations.run(event.data.datasetId);
        s.deleteDataset.run(event.data.datasetId);
        return;
      case 'LocationsAdded':
        for (const l of event.data.locations) {
          s.upsertLocation.run(
            l.id,
            event.data.datasetId,
            l.name,
            l.latitude,
            l.longitude,
            l.quantity ?? null,
            JSON.stringify(l.properties),
            l.created_at,
            l.updated_at,
          );
        }
        return;
      case 'LocationUpdated': {
        const c = event.data.changes;
        s.updateLocation.run(
          c.name ?? null,
          c.latitude ?? null,
          c.longitude ?? null,
          c.quantity === undefined ? 0 : 1,
          c.quantity ?? null,
          c.properties === undefined ? null : JSON.stringify(c.properties),
          event.data.updated_at,
          event.data.locationId,
          event.data.datasetId,
        );
        return;
      }
      case 'LocationsRemoved':
        for (const id of event.data.locationIds) s.deleteLocation.run(id, event.data.datasetId);
        return;
      case 'SettingsChanged': {
        const current = s.getSettings.get(SETTINGS_ID);
        const document = current ? JSON.parse(current.document) : DEFAULT_SETTINGS;
        s.upsertSettings.run(SETTINGS_ID, JSON.stringify({ ...document, ...event.data.patch }));
        return;
      }
      case 'ConfigurationSaved': {
        const c = event.data.configuration;
        s.upsertConfiguration.run(c.id, c.kind, c.name, JSON.stringify(c.value), c.created_at, c.updated_at);
        return;
      }
      case 'ConfigurationDeleted':
        s.deleteConfiguration.run(event.data.configurationId);
        return;
      case 'RestoreStarted':
      case 'RestoreCompleted':
      case 'RestorePointCreated':
      case 'SnapshotsCompacted':
      case 'BackupSchedulesChanged':
      case 'LogCompacted':
        return;
      default: {
        const unhandled: never = event;
        throw new Error(`projection: unhandled event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private updateDataset(id: string, columns: Record<string, unknown>): void {
    const row = this.stmt.getDataset.get(id);
    if (row) this.stmt.upsertDataset.run({ ...row, ...columns });
  }
}

export function encodeDatasetChanges(changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (key === 'visible') out.visible = value ? 1 : 0;
    else if (key === 'columnMapping') out.column_mapping = JSON.stringify(value);
    else if (key === 'source') out.source = value === null ? null : JSON.stringify(value);
    else out[key] = value;
  }
  return out;
}
