import { datasetStream } from '../../domain/streams';
import { LogQuery } from '../event-store';
import { EventRow } from '../sqlite/event-row';

/**
 * Whether a stored event matches an audit query: the same filters, with the same meaning, as the
 * SQLite store's WHERE clause (sqlite/log-query-sql.ts), applied to the event as it is read.
 */
export function logQueryMatches(q: LogQuery, row: EventRow): boolean {
  if (q.afterPosition !== undefined && (q.direction === 'forward' ? row.position <= q.afterPosition : row.position >= q.afterPosition)) return false;
  if (q.stream && row.stream !== q.stream) return false;
  if (q.types?.length && !q.types.includes(row.type)) return false;
  if (q.fromTime && row.recorded_at < Date.parse(q.fromTime)) return false;
  if (q.toTime && row.recorded_at > Date.parse(q.toTime)) return false;
  if (q.actor !== undefined || q.correlationId !== undefined) {
    const metadata = JSON.parse(row.metadata) as { actor?: unknown; correlationId?: unknown };
    if (q.actor && metadata.actor !== q.actor) return false;
    if (q.correlationId && metadata.correlationId !== q.correlationId) return false;
  }
  if (q.datasetId && row.stream !== datasetStream(q.datasetId)) {
    const data = JSON.parse(row.data) as { datasetId?: unknown; dataset?: { id?: unknown } };
    if (data.datasetId !== q.datasetId && data.dataset?.id !== q.datasetId) return false;
  }
  return true;
}
