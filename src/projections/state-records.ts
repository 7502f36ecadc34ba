import { Configuration } from '../domain/configuration';
import { Dataset } from '../domain/dataset';
import { GlobeEvent, MAX_LOCATIONS_PER_EVENT } from '../domain/events';
import { Location, LocationData } from '../domain/location';
import { Settings } from '../domain/settings';
import { RecordedEvent } from '../events/event-store';

/**
 * A whole state as records, in the order a native backup holds them (datasets by id, locations by
 * id, the settings, configurations by id): what a state is read as (StateReader) and loaded from
 * (TargetStates.load). Its JSON, one record a line, is the state part of a backup's payload.
 */
export type StateRecord =
  | { t: 'dataset'; v: Dataset }
  | { t: 'location'; v: Location }
  | { t: 'settings'; v: Settings }
  | { t: 'configuration'; v: Configuration };

/**
 * Records already serialized by their source (rows copied as stored): `ndjson` is `records`
 * complete lines, each ending with '\n'. A backup's writer checks them as it checks every line.
 */
export interface RecordLines {
  ndjson: string;
  records: number;
}

/** What a loader is given: state records, and history records it skips (the state is what counts). */
export type LoadableRecord = StateRecord | { t: 'event' };

const BATCH = 50;

/**
 * Turns state records, in any order, into the events that would have created them, handed to
 * `apply` (a read-model writer) in batches: so a backup's state lands exactly as the projection
 * would hold it, with `position` as its checkpoint. Locations are grouped into chunks per dataset;
 * memory holds one batch.
 */
export class StateRecordLoader {
  private batch: GlobeEvent[] = [];
  private chunk: { datasetId: string; locations: LocationData[] } | null = null;

  constructor(
    private readonly apply: (events: RecordedEvent[]) => void,
    private readonly position: number,
  ) {}

  /** Adds a record; true when a batch was just written (a good moment to yield to the event loop). */
  add(record: LoadableRecord): boolean {
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
    this.apply(asRecorded(this.batch, this.position));
    this.batch = [];
  }
}

/** The writer takes recorded events; these carry the state's position, which its checkpoint then shows. */
function asRecorded(events: GlobeEvent[], position: number): RecordedEvent[] {
  return events.map((e) => ({ ...e, position, eventId: '', stream: '', revision: 0, schemaVersion: 1, metadata: { actor: 'backup', source: 'restore', correlationId: '', causationId: null }, recordedAt: '' }) as RecordedEvent);
}
