/**
 * The read-model tables' columns in their SQLite order (the entities' order, which state files
 * have), with the PostgreSQL type an array of their values is cast to (`unnest($1::text[], …)`).
 * Moving whole states between the engines (loadState, exportState) goes by this list.
 */
export const STATE_COLUMNS: Record<'datasets' | 'locations' | 'settings' | 'configurations' | 'projection_checkpoints', [string, string][]> = {
  datasets: [
    ['id', 'text'],
    ['name', 'text'],
    ['description', 'text'],
    ['color', 'text'],
    ['visible', 'integer'],
    ['source', 'text'],
    ['column_mapping', 'text'],
    ['created_at', 'text'],
    ['updated_at', 'text'],
  ],
  locations: [
    ['id', 'text'],
    ['dataset_id', 'text'],
    ['name', 'text'],
    ['latitude', 'float8'],
    ['longitude', 'float8'],
    ['quantity', 'float8'],
    ['properties', 'text'],
    ['created_at', 'text'],
    ['updated_at', 'text'],
  ],
  settings: [
    ['id', 'text'],
    ['document', 'text'],
  ],
  configurations: [
    ['id', 'text'],
    ['kind', 'text'],
    ['name', 'text'],
    ['value', 'text'],
    ['created_at', 'text'],
    ['updated_at', 'text'],
  ],
  projection_checkpoints: [
    ['name', 'text'],
    ['position', 'bigint'],
  ],
};

export type StateTable = keyof typeof STATE_COLUMNS;

/** `INSERT INTO t (cols) SELECT * FROM unnest($1::type[], …)`: any number of rows in one statement of one parameter per column. */
export function unnestInsertSql(table: StateTable, suffix = ''): string {
  const columns = STATE_COLUMNS[table];
  return `INSERT INTO ${table} (${columns.map(([c]) => c).join(', ')}) SELECT * FROM unnest(${columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})${suffix}`;
}

/** Rows (objects by column name) to the column arrays unnestInsertSql takes. */
export function columnArrays(table: StateTable, rows: Record<string, unknown>[]): unknown[][] {
  return STATE_COLUMNS[table].map(([c]) => rows.map((r) => r[c] ?? null));
}
