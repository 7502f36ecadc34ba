import { Inject, Injectable } from '@nestjs/common';
import Database from 'better-sqlite3';
import { copyFile, rm } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { RecordedEvent } from '../../events/event-store';
import { TargetState } from '../target-state';
import { TargetStates } from '../target-states';
import { eventWeight } from '../weighted-slices';
import { READ_MODEL_DB } from './read-model-db';
import { StateReader } from '../state-reader';
import { LoadableRecord } from '../state-records';
import { copyReadModelSchema, readModelSchemaSql } from './read-model-schema';
import { LiveStateFile, ScratchState } from './scratch-state';
import { copyStateOffThread } from './state-copy-thread';
import { StateFileWriter } from './state-file-writer';
import { SqliteStateReader } from './sqlite-state-reader';
import { SqliteReadModelWriter } from './sqlite-read-model-writer';
import { stripToState } from './state-file';

/** Rows one apply writes at most (a LocationsAdded event weighs its locations): bounds how long a replay holds the event loop. */
const MAX_ROWS_PER_APPLY = 20_000;
const MAX_EVENTS_PER_APPLY = 1000;

/**
 * TargetStates as scratch SQLite files (ScratchState), written with the projector's own
 * prepared-statement writer. A scratch file is written without a journal and without fsync
 * (journal_mode and synchronous OFF): it is thrown away on any failure, never trusted after a crash.
 */
@Injectable()
export class SqliteTargetStates extends TargetStates {
  /**
   * `liveDb` is the live read-model file, or, when the live read models are in another engine, a
   * database that only lends its state-table schema (state-schema.ts); `liveFile` then gives the
   * comparisons an exported copy of the live state instead of the file itself.
   */
  constructor(
    @Inject(READ_MODEL_DB) private readonly liveDb: Database.Database,
    private readonly liveFile: LiveStateFile = { use: (fn) => fn(liveDb.name) },
  ) {
    super();
  }

  async createEmpty(path: string): Promise<void> {
    const db = new Database(path);
    try {
      copyReadModelSchema(this.liveDb, db);
    } finally {
      db.close();
    }
  }

  async replay(path: string, events: AsyncIterable<RecordedEvent>): Promise<number> {
    const db = new Database(path);
    let replayed = 0;
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      const writer = new SqliteReadModelWriter(db);
      let batch: RecordedEvent[] = [];
      let weight = 0;
      for await (const event of events) {
        batch.push(event);
        weight += eventWeight(event);
        if (weight >= MAX_ROWS_PER_APPLY || batch.length >= MAX_EVENTS_PER_APPLY) {
          writer.apply(batch, 'globe');
          replayed += batch.length;
          [batch, weight] = [[], 0];
          await yieldToEventLoop();
        }
      }
      writer.apply(batch, 'globe');
      return replayed + batch.length;
    } finally {
      db.close();
    }
  }

  /** The file is copied by the file system (off this thread), then stripped; no file is left on failure. */
  async exportFile(source: string, path: string): Promise<number> {
    try {
      await copyFile(source, path);
      return stripToState(path);
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  async load(path: string, records: AsyncIterable<LoadableRecord>, position: number): Promise<void> {
    const writer = new StateFileWriter(path, this.schemaStatements(), position);
    try {
      for await (const record of records) if (writer.add(record)) await yieldToEventLoop();
      writer.finish();
    } catch (error) {
      writer.discard();
      throw error;
    }
  }

  /** From the live file itself, or (live read models in another engine) from an exported copy of it. */
  copyLiveAt(path: string, position: number): Promise<boolean> {
    return this.liveFile.use((live) => copyStateOffThread(live, path, position));
  }

  schemaStatements(): string[] {
    return readModelSchemaSql(this.liveDb);
  }

  reader(path: string): StateReader {
    return new SqliteStateReader(path);
  }

  open(path: string, position: number, snapshotPosition: number, replayed: number): Promise<TargetState> {
    return ScratchState.open(path, this.liveFile, position, snapshotPosition, replayed);
  }
}
