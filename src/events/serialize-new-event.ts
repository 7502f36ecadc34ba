import { zodIssues } from '../common/zod-issues';
import { eventMetadataSchema } from '../domain/event-metadata';
import { EventType, GlobeEvent, eventSchemas, eventSchemaVersions, isEventType } from '../domain/events';
import { AppendableEvent, NewEvent, PreparedEvent } from './event-store';
import { InvalidEventError } from './event-store.errors';
import { exactEventChecks } from './exact-event-checks';

export interface SerializedEvent {
  eventId: string | undefined;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

/**
 * Validates events against the catalog and serializes them, for every adapter. What is stored is
 * zod's output, so keys a schema does not know never reach the log. Metadata is usually one object
 * shared by a whole batch: it is validated and serialized once per object, not once per event.
 */
export class NewEventSerializer {
  private lastMetadata: unknown = undefined;
  private lastMetadataJson = '';

  serialize(event: AppendableEvent): SerializedEvent {
    if (isPrepared(event)) return this.passThrough(event);
    if (!isEventType(event.type)) throw new InvalidEventError(String(event.type), { reason: 'unknown event type' });
    return {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: eventSchemaVersions[event.type],
      data: dataJson(event.type, event.data),
      metadata: this.metadataJson(event),
    };
  }

  private passThrough(event: PreparedEvent): SerializedEvent {
    if (!isEventType(event.type) || event.schemaVersion !== eventSchemaVersions[event.type]) {
      throw new InvalidEventError(String(event.type), { reason: `prepared for schema version ${event.schemaVersion}, not the current one` });
    }
    return { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: this.metadataJson(event) };
  }

  private metadataJson(event: AppendableEvent): string {
    if (event.metadata === this.lastMetadata) return this.lastMetadataJson;
    const parsed = eventMetadataSchema.safeParse(event.metadata);
    if (!parsed.success) throw new InvalidEventError(event.type, { metadata: zodIssues(parsed.error) });
    this.lastMetadata = event.metadata;
    this.lastMetadataJson = JSON.stringify(parsed.data);
    return this.lastMetadataJson;
  }
}

function isPrepared(event: AppendableEvent): event is PreparedEvent {
  return (event as PreparedEvent).prepared === true;
}

/**
 * Validates one event's data against the catalog and returns the JSON the store would write for it:
 * the `data` of a PreparedEvent. Throws InvalidEventError (400) as `append` would.
 */
export function prepareEventData<T extends EventType>(type: T, data: Extract<GlobeEvent, { type: T }>['data']): string {
  return dataJson(type, data);
}

/**
 * zod's output, serialized; or, when the type's exact check (exact-event-checks.ts) shows
 * that zod would accept the data unchanged, the data serialized as it is: the same JSON value.
 */
function dataJson(type: EventType, data: unknown): string {
  if (exactEventChecks[type]?.(data)) return JSON.stringify(data);
  const parsed = eventSchemas[type].safeParse(data);
  if (!parsed.success) throw new InvalidEventError(type, zodIssues(parsed.error));
  return JSON.stringify(parsed.data);
}

/** A PreparedEvent from data `prepareEventData` produced (now, or earlier into a file this process wrote). */
export function preparedEvent(type: EventType, data: string, metadata: PreparedEvent['metadata'], eventId?: string): PreparedEvent {
  return { prepared: true, type, schemaVersion: eventSchemaVersions[type], data, metadata, ...(eventId ? { eventId } : {}) };
}
