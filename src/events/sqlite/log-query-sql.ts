import { datasetStream } from '../../domain/streams';
import { LogQuery } from '../event-store';

/** The WHERE clause of an audit query, with bound parameters only (no value is ever spliced into SQL). */
export function logQueryWhere(q: LogQuery): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (q.stream) {
    clauses.push('stream = ?');
    params.push(q.stream);
  }
  if (q.datasetId) {
    clauses.push("(stream = ? OR json_extract(data, '$.datasetId') = ? OR json_extract(data, '$.dataset.id') = ?)");
    params.push(datasetStream(q.datasetId), q.datasetId, q.datasetId);
  }
  if (q.types?.length) {
    clauses.push(`type IN (${q.types.map(() => '?').join(', ')})`);
    params.push(...q.types);
  }
  if (q.actor) {
    clauses.push("json_extract(metadata, '$.actor') = ?");
    params.push(q.actor);
  }
  if (q.correlationId) {
    clauses.push("json_extract(metadata, '$.correlationId') = ?");
    params.push(q.correlationId);
  }
  if (q.fromTime) {
    clauses.push('recorded_at >= ?');
    params.push(Date.parse(q.fromTime));
  }
  if (q.toTime) {
    clauses.push('recorded_at <= ?');
    params.push(Date.parse(q.toTime));
  }
  if (q.afterPosition !== undefined) {
    clauses.push(q.direction === 'forward' ? 'position > ?' : 'position < ?');
    params.push(q.afterPosition);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
