import { RestoreScope, isWholeScope } from '../domain/restore';

/**
 * SQL for comparing the target state (`main`, a scratch file) with the live read models (attached
 * as `live`), kind by kind. `t` is the target row, `c` the current one. Scope filters take their
 * dataset ids as one JSON parameter, never spliced into the text.
 */
export type DiffKind = 'datasets' | 'locations' | 'configurations';

const COLUMNS: Record<DiffKind, string[]> = {
  datasets: ['name', 'description', 'color', 'visible', 'source', 'column_mapping', 'created_at', 'updated_at'],
  locations: ['dataset_id', 'name', 'latitude', 'longitude', 'quantity', 'properties', 'created_at', 'updated_at'],
  configurations: ['kind', 'name', 'value', 'created_at', 'updated_at'],
};

export interface ScopeFilter {
  /** SQL condition on alias `x`; '1' for everything, '0' for nothing. */
  on: (alias: string) => string;
  params: unknown[];
}

export function scopeFilter(kind: DiffKind, scope: RestoreScope): ScopeFilter {
  if (isWholeScope(scope)) return { on: () => '1', params: [] };
  if (kind === 'configurations') return { on: () => (scope.configurations ? '1' : '0'), params: [] };
  if (!scope.datasets?.length) return { on: () => '0', params: [] };
  const column = kind === 'datasets' ? 'id' : 'dataset_id';
  return { on: (x) => `${x}.${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(scope.datasets)] };
}

const differs = (kind: DiffKind) => COLUMNS[kind].map((col) => `t.${col} IS NOT c.${col}`).join(' OR ');

/** Rows in the target and not live: the restore adds them. */
export const addedSql = (kind: DiffKind, f: ScopeFilter, select = 't.*') =>
  `SELECT ${select} FROM main.${kind} t LEFT JOIN live.${kind} c ON c.id = t.id WHERE c.id IS NULL AND ${f.on('t')}`;

/** Rows live and not in the target: the restore removes them. */
export const removedSql = (kind: DiffKind, f: ScopeFilter, select = 'c.*') =>
  `SELECT ${select} FROM live.${kind} c LEFT JOIN main.${kind} t ON t.id = c.id WHERE t.id IS NULL AND ${f.on('c')}`;

/** Rows in both that differ: the conflicts, settled by the strategy. Params: the filter's, twice. */
export const changedSql = (kind: DiffKind, f: ScopeFilter, select = 't.id AS id') =>
  `SELECT ${select} FROM main.${kind} t JOIN live.${kind} c ON c.id = t.id WHERE (${f.on('t')} OR ${f.on('c')}) AND (${differs(kind)})`;

export const changedParams = (f: ScopeFilter) => [...f.params, ...f.params];

export const includesSettings = (scope: RestoreScope) => isWholeScope(scope) || scope.settings === true;

/** Column lists whose aliases match the TypeORM entities, so rows go through the same row mappers. */
export const entitySelect = (kind: DiffKind, alias: string): string =>
  ({
    datasets: `${alias}.id, ${alias}.name, ${alias}.description, ${alias}.color, ${alias}.visible, ${alias}.source, ${alias}.column_mapping AS columnMapping, ${alias}.created_at, ${alias}.updated_at`,
    locations: `${alias}.id, ${alias}.dataset_id AS datasetId, ${alias}.name, ${alias}.latitude, ${alias}.longitude, ${alias}.quantity, ${alias}.properties, ${alias}.created_at, ${alias}.updated_at`,
    configurations: `${alias}.id, ${alias}.kind, ${alias}.name, ${alias}.value, ${alias}.created_at, ${alias}.updated_at`,
  })[kind];
