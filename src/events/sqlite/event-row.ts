import { eventSchemaVersions, isEventType } from '../../domain/events';
import { upcast } from '../../domain/upcasters';
import { RecordedEvent } from '../event-store';

export interface EventRow {
  position: number;
  event_id: string;
  stream: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: number;
}

export const EVENT_COLUMNS = 'position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at';

/**
 * Turns a stored row into a RecordedEvent, upcasting older payloads. Rows of one append share a
 * timestamp, so the last ISO string is reused rather than formatted again for every event.
 */
export class EventRowReader {
  private lastMs = -1;
  private lastIso = '';

  read(row: EventRow): RecordedEvent {
    if (!isEventType(row.type)) throw new Error(`event at position ${row.position} has unknown type ${row.type}`);
    let data: unknown = JSON.parse(row.data);
    if (row.schema_version !== eventSchemaVersions[row.type]) data = upcast(row.type, row.schema_version, data);
    if (row.recorded_at !== this.lastMs) {
      this.lastMs = row.recorded_at;
      this.lastIso = new Date(row.recorded_at).toISOString();
    }
    return {
      position: row.position,
      eventId: row.event_id,
      stream: row.stream,
      revision: row.revision,
      type: row.type,
      schemaVersion: eventSchemaVersions[row.type],
      data,
      metadata: JSON.parse(row.metadata),
      recordedAt: this.lastIso,
    } as RecordedEvent;
  }
}

