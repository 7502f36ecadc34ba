import { v7 as uuidv7 } from 'uuid';
import { EventMetadata } from '../src/domain/event-metadata';
import { NewEvent } from '../src/events/event-store';
import { NewEventSerializer } from '../src/events/serialize-new-event';
import { seededRandom } from '../src/common/seeded-random';

/**
 * Deterministic, realistic events for the store benchmarks: each a `LocationsAdded` carrying one
 * location with a few properties, about 200 bytes of serialized `data` (printed by the benchmarks).
 * Batch `b` goes to stream `dataset-<b mod streams>` (round-robin), as an import's chunks would.
 */
export interface LocationBatch {
  stream: string;
  /** The revision of the batch's first event in its stream. */
  firstRevision: number;
  events: NewEvent[];
}

const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'BR', 'IN', 'ZA', 'AU'];
const KINDS = ['shop', 'depot', 'office', 'clinic', 'school'];
const TIME = '2026-01-01T09:30:00Z';

export function locationBatch(batchIndex: number, batchSize: number, streams: number): LocationBatch {
  const random = seededRandom(batchIndex + 1);
  const streamIndex = batchIndex % streams;
  const datasetId = `ds-${String(streamIndex).padStart(3, '0')}`;
  const metadata: EventMetadata = { actor: 'bench', source: 'import', correlationId: `import-${batchIndex}`, causationId: null };
  const events: NewEvent[] = new Array(batchSize);
  for (let i = 0; i < batchSize; i++) {
    const n = batchIndex * batchSize + i;
    events[i] = {
      type: 'LocationsAdded',
      data: {
        datasetId,
        locations: [
          {
            id: `loc-${n}`,
            name: `Site ${n}`,
            latitude: Math.round((random() * 180 - 90) * 1e4) / 1e4,
            longitude: Math.round((random() * 360 - 180) * 1e4) / 1e4,
            properties: { country: COUNTRIES[n % COUNTRIES.length], kind: KINDS[n % KINDS.length] },
            created_at: TIME,
            updated_at: TIME,
          },
        ],
      },
      metadata,
    };
  }
  return { stream: `dataset-${datasetId}`, firstRevision: Math.floor(batchIndex / streams) * batchSize, events };
}

/** A row of the events table, in the column order of the store's INSERT. */
export type EventTuple = [eventId: string, stream: string, revision: number, type: string, schemaVersion: number, data: string, metadata: string, recordedAt: number];

/**
 * The batch exactly as the store would write it (same serializer, uuid v7 ids as the store mints),
 * for the bare-insert baselines: the work left to time is the insert itself.
 */
export function serializedRows(batch: LocationBatch, recordedAt: number): EventTuple[] {
  const serializer = new NewEventSerializer();
  return batch.events.map((event, i) => {
    const s = serializer.serialize(event);
    return [s.eventId ?? uuidv7(), batch.stream, batch.firstRevision + i, s.type, s.schemaVersion, s.data, s.metadata, recordedAt];
  });
}
