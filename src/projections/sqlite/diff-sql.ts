import { RestoreScope, isWholeScope } from '../../domain/restore';

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
  /** SQL condition on a row alias; '1' for everything, '0' for nothing. */
  on: (alias: string) => string;
  params: unknown[];
  /** The ids already known to be added, changed, removed (see sort-touched.ts); null: compare every row. */
  ids: DiffIds | null;
}

/** The rows of `kind` within the scope; with `domain`, only the ids it lists can differ (the others are known equal). */
export function scopeFilter(kind: DiffKind, scope: RestoreScope, domain: DiffDomain | null = null): ScopeFilter {
  const ids = domain?.[kind] ?? null;
  if (isWholeScope(scope)) return { on: () => '1', params: [], ids };
  if (kind === 'configurations') return { on: () => (scope.configurations ? '1' : '0'), params: [], ids };
  if (!scope.datasets?.length) return { on: () => '0', params: [], ids };
  const column = kind === 'datasets' ? 'id' : 'dataset_id';
  return { on: (x) => `${x}.${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(scope.datasets)], ids };
}

/** Per change, a table expression with one `id` column: the only rows that can have that change. */
export interface DiffIds {
  added: string;
  changed: string;
  removed: string;
}
export type DiffDomain = Record<DiffKind, DiffIds>;

const differs = (kind: DiffKind) => COLUMNS[kind].map((col) => `t.${col} IS NOT c.${col}`).join(' OR ');

const TABLE = { t: 'main', c: 'live' } as const;

/**
 * `first`'s side joined to the other by id; driven by the domain's ids when there is one (lookups of
 * those ids instead of a million-row join). CROSS JOIN keeps the ids the outer loop: otherwise the
 * planner scans the whole table in index order to spare the ORDER BY a sort.
 */
const from = (kind: DiffKind, f: ScopeFilter, change: keyof DiffIds, first: 't' | 'c', join: 'JOIN' | 'LEFT JOIN') => {
  const second = first === 't' ? 'c' : 't';
  const table = (alias: 't' | 'c') => `${TABLE[alias]}.${kind} ${alias}`;
  return f.ids === null
    ? `FROM ${table(first)} ${join} ${table(second)} ON ${second}.id = ${first}.id`
    : `FROM ${f.ids[change]} ids CROSS JOIN ${table(first)} ON ${first}.id = ids.id ${join} ${table(second)} ON ${second}.id = ids.id`;
};

/** Rows in the target and not live: the restore adds them. */
export const addedSql = (kind: DiffKind, f: ScopeFilter, select = 't.*') =>
  `SELECT ${select} ${from(kind, f, 'added', 't', 'LEFT JOIN')} WHERE c.id IS NULL AND ${f.on('t')}`;

/** Rows live and not in the target: the restore removes them. */
export const removedSql = (kind: DiffKind, f: ScopeFilter, select = 'c.*') =>
  `SELECT ${select} ${from(kind, f, 'removed', 'c', 'LEFT JOIN')} WHERE t.id IS NULL AND ${f.on('c')}`;

/** Rows in both that differ: the conflicts, settled by the strategy. Params: the filter's, twice. */
export const changedSql = (kind: DiffKind, f: ScopeFilter, select = 't.id AS id') =>
  `SELECT ${select} ${from(kind, f, 'changed', 't', 'JOIN')} WHERE (${f.on('t')} OR ${f.on('c')}) AND (${differs(kind)})`;

/**
 * Sorts the ids of table `ids` by what a restore would do to them: rows `(change, id)` with change
 * 'added', 'changed' or 'removed'; ids equal on both sides (or on neither) are left out. One pass
 * of two lookups per id, whatever the scope (scopes filter the rows later).
 */
export const classifySql = (kind: DiffKind, ids: string) =>
  `SELECT change, id FROM (SELECT ids.id AS id, CASE WHEN t.id IS NULL THEN iif(c.id IS NULL, NULL, 'removed') WHEN c.id IS NULL THEN 'added' ` +
  `WHEN ${differs(kind)} THEN 'changed' END AS change FROM ${ids} ids LEFT JOIN main.${kind} t ON t.id = ids.id LEFT JOIN live.${kind} c ON c.id = ids.id) ` +
  `WHERE change IS NOT NULL`;

export const changedParams = (f: ScopeFilter) => [...f.params, ...f.params];

export const includesSettings = (scope: RestoreScope) => isWholeScope(scope) || scope.settings === true;

/** Column lists whose aliases match the TypeORM entities, so rows go through the same row mappers. */
export const entitySelect = (kind: DiffKind, alias: string): string =>
  ({
    datasets: `${alias}.id, ${alias}.name, ${alias}.description, ${alias}.color, ${alias}.visible, ${alias}.source, ${alias}.column_mapping AS columnMapping, ${alias}.created_at, ${alias}.updated_at`,
    locations: `${alias}.id, ${alias}.dataset_id AS datasetId, ${alias}.name, ${alias}.latitude, ${alias}.longitude, ${alias}.quantity, ${alias}.properties, ${alias}.created_at, ${alias}.updated_at`,
    configurations: `${alias}.id, ${alias}.kind, ${alias}.name, ${alias}.value, ${alias}.created_at, ${alias}.updated_at`,
  })[kind];
