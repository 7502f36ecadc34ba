import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { createStateSchema } from './state-schema';

type Row = Record<string, unknown>;

/**
 * Reads a state file's rows of `table` (the named columns), `chunk` at a time, for copying a state
 * into another engine. Read-only; the file is closed when the iteration ends, however it ends.
 */
export async function* stateFileRows(path: string, table: string, columns: string[], chunk: number): AsyncGenerator<Row[]> {
  const file = new Database(path, { readonly: true, fileMustExist: true });
  try {
    let rows: Row[] = [];
    for (const row of file.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).iterate() as IterableIterator<Row>) {
      rows.push(row);
      if (rows.length === chunk) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length > 0) yield rows;
  } finally {
    file.close();
  }
}

/** The position a state file holds (0: none). */
export function stateFilePosition(path: string): number {
  const file = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (file.prepare("SELECT position FROM projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined)?.position ?? 0;
  } finally {
    file.close();
  }
}

/**
 * Writes a new state file from rows another engine reads: the state schema (state-schema.ts), the
 * rows, then the position. Written without a journal or fsync: the file is new, and `discard`
 * (after any failure) removes it, so no partial file is ever taken for a state.
 */
export class StateFileBuilder {
  private constructor(
    private readonly path: string,
    private readonly db: Database.Database,
  ) {}

  static async create(path: string): Promise<StateFileBuilder> {
    const db = new Database(path);
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      await createStateSchema(db);
      return new StateFileBuilder(path, db);
    } catch (error) {
      db.close();
      await rm(path, { force: true });
      throw error;
    }
  }

  /** Inserts rows (objects by column name) into `table`, in one transaction. */
  write(table: string, columns: string[], rows: Row[]): void {
    const insert = this.db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    this.db.transaction(() => {
      for (const row of rows) insert.run(columns.map((c) => row[c]));
    })();
  }

  /** Records the position the state is at and closes the file. */
  finish(position: number): void {
    this.db.prepare("INSERT INTO projection_checkpoints (name, position) VALUES ('globe', ?)").run(position);
    this.db.close();
  }

  async discard(): Promise<void> {
    if (this.db.open) this.db.close();
    await rm(this.path, { force: true });
  }
}
