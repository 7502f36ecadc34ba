import { DEFAULT_SETTINGS } from '../../domain/settings';
import { RecordedEvent } from '../../events/event-store';
import { encodeDatasetChanges } from '../sqlite/sqlite-read-model-writer';
import { STATE_COLUMNS, unnestInsertSql } from './read-model-columns';

/** Runs one statement on the connection that holds the caller's transaction. */
export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const SETTINGS_ID = 'app';
const DATASET_COLUMNS = new Set(STATE_COLUMNS.datasets.map(([c]) => c).filter((c) => c !== 'id'));

const UPSERT_DATASET =
  unnestInsertSql('datasets') +
  ' ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, color = excluded.color, visible = excluded.visible,' +
  ' source = excluded.source, column_mapping = excluded.column_mapping, created_at = excluded.created_at, updated_at = excluded.updated_at';
const UPSERT_LOCATIONS =
  unnestInsertSql('locations') +
  ' ON CONFLICT (id) DO UPDATE SET dataset_id = excluded.dataset_id, name = excluded.name, latitude = excluded.latitude, longitude = excluded.longitude,' +
  ' quantity = excluded.quantity, properties = excluded.properties, created_at = excluded.created_at, updated_at = excluded.updated_at';
const UPDATE_LOCATIONS =
  'UPDATE locations AS l SET name = coalesce(u.name, l.name), latitude = coalesce(u.latitude, l.latitude), longitude = coalesce(u.longitude, l.longitude),' +
  ' quantity = CASE WHEN u.has_quantity THEN u.quantity ELSE l.quantity END, properties = coalesce(u.properties, l.properties), updated_at = u.updated_at' +
  ' FROM unnest($1::text[], $2::float8[], $3::float8[], $4::boolean[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[])' +
  ' AS u(name, latitude, longitude, has_quantity, quantity, properties, updated_at, id, dataset_id) WHERE l.id = u.id AND l.dataset_id = u.dataset_id';
const DELETE_LOCATIONS = 'DELETE FROM locations AS l USING unnest($1::text[], $2::text[]) AS u(id, dataset_id) WHERE l.id = u.id AND l.dataset_id = u.dataset_id';
const STATEMENTS = { upsert: UPSERT_LOCATIONS, update: UPDATE_LOCATIONS, delete: DELETE_LOCATIONS };

/** Consecutive location changes of one kind, gathered into one statement (each column an array). */
interface Run {
  kind: keyof typeof STATEMENTS;
  ids: Set<string>;
  columns: unknown[][];
}

/**
 * Applies events to the PostgreSQL read models with the effects of the SQLite writer
 * (sqlite-read-model-writer.ts), rule for rule; the equivalence spec applies the same histories to
 * both and compares every row. Fast by batching: consecutive location changes of one kind (the
 * bulk of an import, a mass edit, a removal) become ONE multi-row statement over unnest()ed arrays.
 * Order is kept exactly: a run is written before any other statement, and before a second change
 * of an id already in it (a multi-row statement must not touch one row twice), so each row sees
 * its changes in log order. The caller holds the transaction (apply's atomicity is its).
 */
export class PostgresReadModelWriter {
  private run: Run | null = null;

  constructor(private readonly query: Query) {}

  async apply(events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.applyOne(event);
    await this.flush();
  }

  private async applyOne(event: RecordedEvent): Promise<unknown> {
    switch (event.type) {
      case 'DatasetCreated': {
        const d = event.data.dataset;
        const row = [d.id, d.name, d.description, d.color, d.visible ? 1 : 0, d.source ? JSON.stringify(d.source) : null, JSON.stringify(d.columnMapping), d.created_at, d.updated_at];
        return this.statement(UPSERT_DATASET, row.map((v) => [v]));
      }
      case 'DatasetUpdated':
        return this.updateDataset(event.data.datasetId, { ...encodeDatasetChanges(event.data.changes), updated_at: event.data.updated_at });
      case 'DatasetImported':
        return this.updateDataset(event.data.datasetId, { source: JSON.stringify(event.data.source), updated_at: event.data.updated_at });
      case 'DatasetDeleted':
        await this.statement('DELETE FROM locations WHERE dataset_id = $1', [event.data.datasetId]);
        return this.statement('DELETE FROM datasets WHERE id = $1', [event.data.datasetId]);
      case 'LocationsAdded':
        for (const l of event.data.locations) {
          await this.add('upsert', l.id, [l.id, event.data.datasetId, l.name, l.latitude, l.longitude, l.quantity ?? null, JSON.stringify(l.properties), l.created_at, l.updated_at]);
        }
        return;
      case 'LocationUpdated': {
        const c = event.data.changes;
        const properties = c.properties === undefined ? null : JSON.stringify(c.properties);
        const row = [c.name ?? null, c.latitude ?? null, c.longitude ?? null, c.quantity !== undefined, c.quantity ?? null, properties, event.data.updated_at, event.data.locationId, event.data.datasetId];
        return this.add('update', event.data.locationId, row);
      }
      case 'LocationsRemoved':
        for (const id of event.data.locationIds) await this.add('delete', id, [id, event.data.datasetId]);
        return;
      case 'SettingsChanged': {
        const [current] = await this.statement('SELECT document FROM settings WHERE id = $1', [SETTINGS_ID]);
        const document = current ? JSON.parse(current.document as string) : DEFAULT_SETTINGS;
        const merged = JSON.stringify({ ...document, ...event.data.patch });
        return this.statement('INSERT INTO settings (id, document) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET document = excluded.document', [SETTINGS_ID, merged]);
      }
      case 'ConfigurationSaved': {
        const c = event.data.configuration;
        return this.statement(
          'INSERT INTO configurations (id, kind, name, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET ' +
            'kind = excluded.kind, name = excluded.name, value = excluded.value, created_at = excluded.created_at, updated_at = excluded.updated_at',
          [c.id, c.kind, c.name, JSON.stringify(c.value), c.created_at, c.updated_at],
        );
      }
      case 'ConfigurationDeleted':
        return this.statement('DELETE FROM configurations WHERE id = $1', [event.data.configurationId]);
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

  /** The SQLite writer rewrites the row with the changed columns when it exists, and does nothing otherwise: an UPDATE. */
  private async updateDataset(id: string, columns: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(columns).filter(([c]) => DATASET_COLUMNS.has(c));
    const set = entries.map(([c], i) => `${c} = $${i + 2}`).join(', ');
    await this.statement(`UPDATE datasets SET ${set} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
  }

  private async add(kind: Run['kind'], id: string, row: unknown[]): Promise<void> {
    if (this.run && (this.run.kind !== kind || this.run.ids.has(id))) await this.flush();
    this.run ??= { kind, ids: new Set(), columns: row.map(() => []) };
    this.run.ids.add(id);
    row.forEach((value, i) => this.run!.columns[i].push(value));
  }

  private async flush(): Promise<void> {
    const run = this.run;
    if (!run) return;
    this.run = null;
    await this.query(STATEMENTS[run.kind], run.columns);
  }

  private async statement(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    await this.flush();
    return this.query(sql, params);
  }
}
