import { StateFileBuilder, stateFilePosition, stateFileRows } from '../sqlite/state-file-io';
import { STATE_COLUMNS, StateTable, columnArrays, unnestInsertSql } from './read-model-columns';
import type { Query } from './postgres-read-model-writer';

/** Rows per multi-row statement or page: bounds the memory a state move holds (a page of locations is a few MB). */
const CHUNK = 10_000;
const ROW_TABLES: StateTable[] = ['datasets', 'locations', 'settings', 'configurations'];
const SET_CHECKPOINT = 'INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = excluded.position';

/**
 * Copies the rows of a state file (SQLite, as snapshots and prepared backups hold one) into the
 * PostgreSQL read models, CHUNK rows per multi-row INSERT, and sets `checkpoint` to the position
 * the file holds. Inserts only, as the SQLite writer's loadState does: the caller empties the read
 * models first (a rebuild resets them) and holds the transaction that makes it atomic.
 */
export async function loadStateFile(query: Query, path: string, checkpoint: string): Promise<void> {
  for (const table of ROW_TABLES) {
    const columns = STATE_COLUMNS[table].map(([c]) => c);
    for await (const rows of stateFileRows(path, table, columns, CHUNK)) await query(unnestInsertSql(table), columnArrays(table, rows));
  }
  await query(SET_CHECKPOINT, [checkpoint, stateFilePosition(path)]);
}

/**
 * Writes a new state file at `path` from the PostgreSQL read models (the SQLite adapter's state
 * schema and file: state-file-io.ts), every row read in id-ordered pages. `query` must run in ONE
 * snapshot (a REPEATABLE READ transaction the caller holds), so the rows and the checkpoint are
 * those of one moment between two applies. No file is left on failure. Answers the position.
 */
export async function exportStateFile(query: Query, path: string, checkpoint: string): Promise<number> {
  const file = await StateFileBuilder.create(path);
  try {
    for (const table of ROW_TABLES) {
      const columns = STATE_COLUMNS[table].map(([c]) => c);
      const select = `SELECT ${columns.join(', ')} FROM ${table}`;
      let after: string | null = null;
      for (;;) {
        const page: Record<string, unknown>[] =
          after === null ? await query(`${select} ORDER BY id LIMIT ${CHUNK}`) : await query(`${select} WHERE id > $1 ORDER BY id LIMIT ${CHUNK}`, [after]);
        file.write(table, columns, page);
        if (page.length < CHUNK) break;
        after = page[page.length - 1].id as string;
      }
    }
    const [row] = await query('SELECT position FROM projection_checkpoints WHERE name = $1', [checkpoint]);
    const position = (row?.position as number | undefined) ?? 0;
    file.finish(position);
    return position;
  } catch (error) {
    await file.discard();
    throw error;
  }
}
