import Database from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { GlobeEvent, MAX_LOCATIONS_PER_EVENT } from '../domain/events';
import { LocationData } from '../domain/location';
import { RecordedEvent } from '../events/event-store';
import { SqliteReadModelWriter } from '../projections/sqlite-read-model-writer';
import { BackupRecord } from './format/backup-record';

const BATCH = 50;

/**
 * Loads state records, in any order, into read-model tables (a scratch database) through the
 * projector's own writer, as the events that would have created them: so a backup's state lands
 * exactly as the projection would hold it. History records are skipped (the state is what counts
 * here). Locations are grouped into chunks per dataset; memory holds one batch.
 */
export async function loadRecords(db: Database.Database, records: AsyncIterable<BackupRecord>, position: number): Promise<void> {
  const writer = new SqliteReadModelWriter(db);
  let batch: GlobeEvent[] = [];
  let chunk: { datasetId: string; locations: LocationData[] } | null = null;
  const flushChunk = () => {
    if (chunk) batch.push({ type: 'LocationsAdded', data: { datasetId: chunk.datasetId, locations: chunk.locations } });
    chunk = null;
  };
  const flush = async () => {
    flushChunk();
    writer.apply(asRecorded(batch, position), 'globe');
    batch = [];
    await yieldToEventLoop();
  };
  for await (const record of records) {
    switch (record.t) {
      case 'dataset':
        batch.push({ type: 'DatasetCreated', data: { dataset: record.v } });
        break;
      case 'location': {
        const { datasetId, ...location } = record.v;
        if (chunk && (chunk.datasetId !== datasetId || chunk.locations.length >= MAX_LOCATIONS_PER_EVENT)) flushChunk();
        chunk ??= { datasetId, locations: [] };
        chunk.locations.push(location);
        break;
      }
      case 'settings':
        batch.push({ type: 'SettingsChanged', data: { patch: record.v } });
        break;
      case 'configuration':
        batch.push({ type: 'ConfigurationSaved', data: { configuration: record.v } });
        break;
      case 'event':
        break;
    }
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

/** The writer takes recorded events; these carry the backup's position, which the scratch checkpoint then shows. */
function asRecorded(events: GlobeEvent[], position: number): RecordedEvent[] {
  return events.map((e) => ({ ...e, position, eventId: '', stream: '', revision: 0, schemaVersion: 1, metadata: { actor: 'backup', source: 'restore', correlationId: '', causationId: null }, recordedAt: '' }) as RecordedEvent);
}
