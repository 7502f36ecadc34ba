import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { LoadableRecord, StateRecordLoader } from '../state-records';
import { SqliteReadModelWriter } from './sqlite-read-model-writer';

/**
 * Writes a new state file from records, through the projector's own writer (StateRecordLoader), its
 * checkpoint at `position`. Loads no Nest and no TypeORM, so a worker thread can use it (a backup's
 * preparation): the tables come from `schemaSql` (TargetStates.schemaStatements of the live read
 * models). A scratch file: no journal and no fsync, thrown away on any failure, never trusted after
 * a crash. `discard` removes it.
 */
export class StateFileWriter {
  private readonly db: Database.Database;
  private readonly loader: StateRecordLoader;

  constructor(
    readonly path: string,
    schemaSql: readonly string[],
    position: number,
  ) {
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = OFF');
      this.db.pragma('synchronous = OFF');
      for (const sql of schemaSql) this.db.exec(sql);
      const writer = new SqliteReadModelWriter(this.db);
      this.loader = new StateRecordLoader((events) => writer.apply(events, 'globe'), position);
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  /** Adds a record (history records are skipped); true when a batch was just written (a good moment to yield). */
  add(record: LoadableRecord): boolean {
    return this.loader.add(record);
  }

  /** Writes what is left and closes the file. */
  finish(): void {
    this.loader.finish();
    this.db.close();
  }

  discard(): void {
    if (this.db?.open) this.db.close();
    rmSync(this.path, { force: true });
  }
}
