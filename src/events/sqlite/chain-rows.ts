import { ChainedEvent } from '../event-chain';
import { EventRow } from './event-row';

/** A position and the chain hash stored there. */
export interface ChainRow {
  position: number;
  hash: string;
}

/** Records the chain head just before the first remaining event (see events_chain_base). */
export const CHAIN_BASE_SQL = 'INSERT OR REPLACE INTO events_chain_base (id, position, hash) VALUES (1, ?, ?)';

/** A stored row as the chain hashes it: its columns exactly as stored. */
export function chainedEvent(row: EventRow): ChainedEvent {
  return {
    position: row.position,
    eventId: row.event_id,
    stream: row.stream,
    revision: row.revision,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
