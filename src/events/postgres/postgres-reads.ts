import { Pool, types } from 'pg';
import { datasetStream } from '../../domain/streams';
import { LogQuery } from '../event-store';
import { EventRow } from '../sqlite/event-row';
import { horizonFrom, VISIBLE, visibleHeadSql } from './postgres-horizon';
import { PG_EVENT_COLUMNS } from './postgres-schema.sql';

export const PAGE_ROWS = 1000;
/** As the SQLite store's pages: a page of 1,000 import events is a whole million-row import. */
export const PAGE_CHARS = 4 * 1024 * 1024;

/** bigint (int8) columns as numbers: positions and epoch milliseconds stay far below 2^53. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.INT8 ? (value: string) => Number(value) : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

const E_COLUMNS = PG_EVENT_COLUMNS.split(', ')
  .map((c) => `e.${c}`)
  .join(', ');

/** The log's reads for one schema, each one statement over its own snapshot. */
export class PgLogReads {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = schema;
  }

  /**
   * Visible rows from `from` to `to` in position order: at most `limit`, and fewer once their data
   * reaches PAGE_CHARS (always at least one), measured in the database, so a page of large events
   * never crosses the wire whole. The window runs over the LIMITed rows only.
   */
  async page(from: number, to: number, limit: number): Promise<EventRow[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: `${this.s}.page`,
      text: `SELECT ${PG_EVENT_COLUMNS} FROM (
               SELECT q.*, sum(octet_length(q.data)) OVER (ORDER BY q.position) - octet_length(q.data) AS before FROM (
                 SELECT ${E_COLUMNS} FROM ${this.s}.events e, ${horizonFrom(this.s)}
                 WHERE e.position >= $1 AND e.position <= $2 AND ${VISIBLE} ORDER BY e.position LIMIT $3) q
             ) w WHERE w.before < $4 ORDER BY w.position`,
      values: [from, to, limit, PAGE_CHARS],
    });
    return rows;
  }

  /** A stream's committed rows (no horizon: the write side's read, see postgres-horizon.ts). */
  async streamPage(stream: string, fromRevision: number): Promise<EventRow[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: `${this.s}.streamPage`,
      text: `SELECT ${PG_EVENT_COLUMNS} FROM ${this.s}.events WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      values: [stream, fromRevision, PAGE_ROWS],
    });
    return rows;
  }

  async visibleHead(): Promise<number> {
    const { rows } = await this.pool.query<{ p: number }>({ name: `${this.s}.visibleHead`, text: `${visibleHeadSql(this.s)} AS p` });
    return rows[0].p;
  }

  /**
   * The last visible position whose event was recorded at or before `t` (epoch ms), 0 if none: a
   * binary search over positions (recorded_at never decreases along them), as the SQLite store's.
   */
  async positionAt(t: number): Promise<number> {
    const first = await this.scalar(`SELECT COALESCE(min(position), 0) AS v FROM ${this.s}.events`);
    let hi = await this.visibleHead();
    let lo = first;
    const atOrAfter = async (p: number) =>
      (await this.pool.query<{ p: number; t: number }>({ name: `${this.s}.atOrAfter`, text: `SELECT position AS p, recorded_at AS t FROM ${this.s}.events WHERE position >= $1 ORDER BY position LIMIT 1`, values: [p] })).rows[0];
    const firstEvent = await atOrAfter(lo);
    if (hi === 0 || !firstEvent || firstEvent.t > t) return 0;
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      if (((await atOrAfter(mid))?.t ?? Infinity) <= t) lo = mid;
      else hi = mid - 1;
    }
    return (await atOrAfter(lo))?.p ?? 0;
  }

  async query(q: LogQuery): Promise<EventRow[]> {
    const { where, params } = logQueryWhere(q);
    params.push(q.limit);
    const order = q.direction === 'forward' ? 'ASC' : 'DESC';
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${E_COLUMNS} FROM ${this.s}.events e, ${horizonFrom(this.s)} WHERE ${[VISIBLE, ...where].join(' AND ')} ORDER BY e.position ${order} LIMIT $${params.length}`,
      params,
    );
    return rows;
  }

  async scalar(text: string, values: unknown[] = []): Promise<number> {
    return (await this.pool.query<{ v: number }>(text, values)).rows[0].v;
  }
}

/** The audit filters (as sqlite/log-query-sql.ts), bound parameters only; data and metadata are JSON text. */
function logQueryWhere(q: LogQuery): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => `$${params.push(value)}`;
  if (q.stream) where.push(`e.stream = ${p(q.stream)}`);
  if (q.datasetId) {
    where.push(`(e.stream = ${p(datasetStream(q.datasetId))} OR e.data::jsonb ->> 'datasetId' = ${p(q.datasetId)} OR e.data::jsonb -> 'dataset' ->> 'id' = ${p(q.datasetId)})`);
  }
  if (q.types?.length) where.push(`e.type = ANY(${p(q.types)}::text[])`);
  if (q.actor) where.push(`e.metadata::jsonb ->> 'actor' = ${p(q.actor)}`);
  if (q.correlationId) where.push(`e.metadata::jsonb ->> 'correlationId' = ${p(q.correlationId)}`);
  if (q.fromTime) where.push(`e.recorded_at >= ${p(Date.parse(q.fromTime))}`);
  if (q.toTime) where.push(`e.recorded_at <= ${p(Date.parse(q.toTime))}`);
  if (q.afterPosition !== undefined) where.push(q.direction === 'forward' ? `e.position > ${p(q.afterPosition)}` : `e.position < ${p(q.afterPosition)}`);
  return { where, params };
}
