import { zodIssues } from '../common/zod-issues';
import { eventMetadataSchema } from '../domain/event-metadata';
import { eventSchemas, eventSchemaVersions, isEventType } from '../domain/events';
import { NewEvent } from './event-store';
import { InvalidEventError } from './event-store.errors';

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

  serialize(event: NewEvent): SerializedEvent {
    if (!isEventType(event.type)) throw new InvalidEventError(String(event.type), { reason: 'unknown event type' });
    const parsed = eventSchemas[event.type].safeParse(event.data);
    if (!parsed.success) throw new InvalidEventError(event.type, zodIssues(parsed.error));
    return {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: eventSchemaVersions[event.type],
      data: JSON.stringify(parsed.data),
      metadata: this.metadataJson(event),
    };
  }

  private metadataJson(event: NewEvent): string {
    if (event.metadata === this.lastMetadata) return this.lastMetadataJson;
    const parsed = eventMetadataSchema.safeParse(event.metadata);
    if (!parsed.success) throw new InvalidEventError(event.type, { metadata: zodIssues(parsed.error) });
    this.lastMetadata = event.metadata;
    this.lastMetadataJson = JSON.stringify(parsed.data);
    return this.lastMetadataJson;
  }
}
