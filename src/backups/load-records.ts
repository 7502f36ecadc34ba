import Database from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { GlobeEvent, MAX_LOCATIONS_PER_EVENT } from '../domain/events';
import { LocationData } from '../domain/location';
import { RecordedEvent } from '../events/event-store';
import { SqliteReadModelWriter } from '../projections/sqlite/sqlite-read-model-writer';
import { BackupRecord } from './format/backup-record';

const BATCH = 50;

/**
 * Loads state records, in any order, into read-model tables (a scratch database) through the
 * projector's own writer, as the events that would have created them: so a backup's state lands
 * exactly as the projection would hold it, with `position` as its checkpoint. History records are
 * skipped (the state is what counts here). Locations are grouped into chunks per dataset; memory
 * holds one batch.
 */
export async function loadRecords(db: Database.Database, records: AsyncIterable<BackupRecord>, position: number): Promise<void> {
  const loader = new RecordLoader(db, position);
  for await (const record of records) if (loader.add(record)) await yieldToEventLoop();
  loader.finish();
}

/** loadRecords one record at a time, for a caller that reads the records for something else too (see PreparingSink). */
export class RecordLoader {
  private readonly writer: SqliteReadModelWriter;
  private batch: GlobeEvent[] = [];
  private chunk: { datasetId: string; locations: LocationData[] } | null = null;

  constructor(
    db: Database.Database,
    private readonly position: number,
  ) {
    this.writer = new SqliteReadModelWriter(db);
  }

  /** Adds a record; true when a batch was just written (a good moment to yield to the event loop). */
  add(record: BackupRecord): boolean {
    switch (record.t) {
      case 'dataset':
        this.batch.push({ type: 'DatasetCreated', data: { dataset: record.v } });
        break;
      case 'location': {
        const { datasetId, ...location } = record.v;
        if (this.chunk && (this.chunk.datasetId !== datasetId || this.chunk.locations.length >= MAX_LOCATIONS_PER_EVENT)) this.flushChunk();
        this.chunk ??= { datasetId, locations: [] };
        this.chunk.locations.push(location);
        break;
      }
      case 'settings':
        this.batch.push({ type: 'SettingsChanged', data: { patch: record.v } });
        break;
      case 'configuration':
        this.batch.push({ type: 'ConfigurationSaved', data: { configuration: record.v } });
        break;
      case 'event':
        return false;
    }
    if (this.batch.length < BATCH) return false;
    this.flush();
    return true;
  }

  /** Writes what is left. */
  finish(): void {
    this.flush();
  }

  private flushChunk(): void {
    if (this.chunk) this.batch.push({ type: 'LocationsAdded', data: { datasetId: this.chunk.datasetId, locations: this.chunk.locations } });
    this.chunk = null;
  }

  private flush(): void {
    this.flushChunk();
    this.writer.apply(asRecorded(this.batch, this.position), 'globe');
    this.batch = [];
  }
}

/** The writer takes recorded events; these carry the backup's position, which the scratch checkpoint then shows. */
function asRecorded(events: GlobeEvent[], position: number): RecordedEvent[] {
  return events.map((e) => ({ ...e, position, eventId: '', stream: '', revision: 0, schemaVersion: 1, metadata: { actor: 'backup', source: 'restore', correlationId: '', causationId: null }, recordedAt: '' }) as RecordedEvent);
}
