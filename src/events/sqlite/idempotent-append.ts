import Database from 'better-sqlite3';
import { AppendResult } from '../event-store';
import { DuplicateEventIdError } from '../event-store.errors';
import { EventRow } from './event-row';

/**
 * The answer to a retried append (guarantee 4 of the port): every event id must already be in the
 * log, in order, at consecutive positions, in this stream; then it answers as the first append did.
 * Anything else reusing an id is EVENTS.DUPLICATE_EVENT_ID, and nothing is written.
 */
export function idempotentResult(
  byEventId: Database.Statement<[string], EventRow>,
  stream: string,
  firstRow: EventRow,
  eventIds: Array<string | undefined>,
): AppendResult {
  if (firstRow.stream !== stream) throw new DuplicateEventIdError(firstRow.event_id);
  let position = firstRow.position - 1;
  let lastRow = firstRow;
  for (const eventId of eventIds) {
    position += 1;
    const row = eventId ? byEventId.get(eventId) : undefined;
    if (!row || row.position !== position || row.stream !== firstRow.stream) throw new DuplicateEventIdError(eventId ?? '(none)');
    lastRow = row;
  }
  return {
    firstPosition: firstRow.position,
    lastPosition: lastRow.position,
    nextExpectedRevision: lastRow.revision,
    recordedAt: new Date(lastRow.recorded_at).toISOString(),
  };
}
