import { Inject, Injectable } from '@nestjs/common';
import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { RecordedEvent } from '../../events/event-store';
import { LiveReadModels } from '../live-read-models';
import type { StateCounts } from '../target-state';
import { StateReader } from '../state-reader';
import { READ_MODEL_DB } from './read-model-db';
import { SqliteStateReader } from './sqlite-state-reader';
import { SqliteReadModelWriter } from './sqlite-read-model-writer';
import { stripToState } from './state-file';

const CHECKPOINT = 'globe';

/**
 * LiveReadModels on the read-model SQLite file, through the prepared statements of
 * SqliteReadModelWriter (the measured apply path, unchanged: each call is one synchronous
 * better-sqlite3 transaction, so none spans an await).
 */
@Injectable()
export class SqliteLiveReadModels extends LiveReadModels {
  private readonly writer: SqliteReadModelWriter;

  constructor(@Inject(READ_MODEL_DB) private readonly db: Database.Database) {
    super();
    this.writer = new SqliteReadModelWriter(db);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async checkpoint(): Promise<number> {
    return this.writer.checkpoint(CHECKPOINT);
  }

  /** One synchronous step on the projector's own thread: no apply commits between the counts and the checkpoint. */
  async counts(): Promise<{ position: number; counts: StateCounts }> {
    const count = (t: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { position: this.writer.checkpoint(CHECKPOINT), counts: { datasets: count('datasets'), locations: count('locations'), configurations: count('configurations') } };
  }

  async apply(events: RecordedEvent[]): Promise<void> {
    this.writer.apply(events, CHECKPOINT);
  }

  async reset(): Promise<void> {
    this.writer.reset(CHECKPOINT);
  }

  async loadState(statePath: string): Promise<void> {
    this.writer.loadState(statePath, CHECKPOINT);
  }

  /**
   * `VACUUM INTO`, on this thread: a consistent copy at the checkpoint, between two projector
   * transactions (~1 s per million rows), then stripped to the state tables. No file is left on failure.
   */
  async exportState(path: string): Promise<number> {
    try {
      this.db.prepare('VACUUM INTO ?').run(path);
      return stripToState(path);
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /** Its own read-only connection to the file, in one read transaction (WAL: a fixed view). */
  async reader(): Promise<StateReader> {
    return new SqliteStateReader(this.db.name);
  }
}
