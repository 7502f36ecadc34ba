import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { createStateSchema } from '../sqlite/state-schema';
import { STATE_COLUMNS, StateTable, columnArrays, unnestInsertSql } from './read-model-columns';
import type { Query } from './postgres-read-model-writer';

/** Rows per multi-row statement or page: bounds the memory a state move holds (a page of locations is a few MB). */
const CHUNK = 10_000;
const ROW_TABLES: StateTable[] = ['datasets', 'locations', 'settings', 'configurations'];

/**
 * Copies the rows of a state file (SQLite, as snapshots and prepared backups hold one) into the
 * PostgreSQL read models, CHUNK rows per multi-row INSERT, and sets `checkpoint` to the position
 * the file holds. Inserts only, as the SQLite writer's loadState does: the caller empties the read
 * models first (a rebuild resets them) and holds the transaction that makes it atomic.
 */
export async function loadStateFile(query: Query, path: string, checkpoint: string): Promise<void> {
  const file = new Database(path, { readonly: true, fileMustExist: true });
  try {
    for (const table of ROW_TABLES) {
      const select = file.prepare(`SELECT ${STATE_COLUMNS[table].map(([c]) => c).join(', ')} FROM ${table}`);
      let chunk: Record<string, unknown>[] = [];
      for (const row of select.iterate() as IterableIterator<Record<string, unknown>>) {
        chunk.push(row);
        if (chunk.length === CHUNK) {
          await query(unnestInsertSql(table), columnArrays(table, chunk));
          chunk = [];
        }
      }
      if (chunk.length > 0) await query(unnestInsertSql(table), columnArrays(table, chunk));
    }
    const base = file.prepare("SELECT position FROM projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined;
    await query(
      'INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      [checkpoint, base?.position ?? 0],
    );
  } finally {
    file.close();
  }
}

/**
 * Writes a new state file at `path` from the PostgreSQL read models: the state-file schema of the
 * SQLite adapter (state-schema.ts), then every row, read in id-ordered pages. `query` must run in
 * ONE snapshot (a REPEATABLE READ transaction the caller holds), so the rows and the checkpoint are
 * those of one moment between two applies. The file is written without a journal (it is new and
 * thrown away on failure: no file is left). Answers the position it holds.
 */
export async function exportStateFile(query: Query, path: string, checkpoint: string): Promise<number> {
  const file = new Database(path);
  try {
    file.pragma('journal_mode = OFF');
    file.pragma('synchronous = OFF');
    await createStateSchema(file);
    for (const table of ROW_TABLES) {
      const names = STATE_COLUMNS[table].map(([c]) => c);
      const insert = file.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
      const write = file.transaction((rows: Record<string, unknown>[]) => {
        for (const row of rows) insert.run(names.map((c) => row[c]));
      });
      let after: string | null = null;
      for (;;) {
        const page: Record<string, unknown>[] = after === null
          ? await query(`SELECT ${names.join(', ')} FROM ${table} ORDER BY id LIMIT ${CHUNK}`)
          : await query(`SELECT ${names.join(', ')} FROM ${table} WHERE id > $1 ORDER BY id LIMIT ${CHUNK}`, [after]);
        write(page);
        if (page.length < CHUNK) break;
        after = page[page.length - 1].id as string;
      }
    }
    const [row] = await query('SELECT position FROM projection_checkpoints WHERE name = $1', [checkpoint]);
    const position = (row?.position as number | undefined) ?? 0;
    // A state file always names its position 'globe' (checkpointOf reads that name).
    file.prepare("INSERT INTO projection_checkpoints (name, position) VALUES ('globe', ?)").run(position);
    file.close();
    return position;
  } catch (error) {
    if (file.open) file.close();
    await rm(path, { force: true });
    throw error;
  }
}
