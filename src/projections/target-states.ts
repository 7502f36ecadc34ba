import { RecordedEvent } from '../events/event-store';
import { StateReader } from './state-reader';
import { LoadableRecord } from './state-records';
import { TargetState } from './target-state';

/**
 * Makes TargetStates. A state under construction lives at a path the caller chooses (in DATA_DIR/tmp)
 * and owns: a snapshot or a backup's records may be written there first, then events replayed onto
 * it, then it is opened. Replays apply events in batches that bound each transaction and yield to
 * the event loop between them, with the projector's own rules (the same state as the live fold).
 */
export abstract class TargetStates {
  /** Writes an empty state at `path`: the read-model tables, no rows, checkpoint 0. */
  abstract createEmpty(path: string): Promise<void>;

  /** Applies `events`, in order, to the state at `path`; answers how many were applied. */
  abstract replay(path: string, events: AsyncIterable<RecordedEvent>): Promise<number>;

  /** Copies the state file at `source` to `path` (a new file) as exportState writes one; answers the position it holds. */
  abstract exportFile(source: string, path: string): Promise<number>;

  /**
   * Writes a new state at `path` from records in any order (a backup's or a foreign file's; history
   * records are skipped), as the projector would hold it, its checkpoint at `position`. Memory holds
   * one batch; the event loop is yielded to between batches. On failure the caller removes `path`.
   */
  abstract load(path: string, records: AsyncIterable<LoadableRecord>, position: number): Promise<void>;

  /**
   * Copies the live read models to `path` (a new file) off this thread, and answers true if the copy
   * is the state at `position`. Anything else (the projection moved on meanwhile, a full disk, a
   * failure) removes `path` and answers false: the copy is an optimisation, never needed for correctness.
   */
  abstract copyLiveAt(path: string, position: number): Promise<boolean>;

  /**
   * How to create an empty state, as plain data a worker thread can be handed (its writer,
   * StateFileWriter on SQLite, takes it): the live read models' table and index statements.
   */
  abstract schemaStatements(): string[];

  /** Reads the state at `path` (StateReader's guarantees); the file stays the caller's. */
  abstract reader(path: string): StateReader;

  /** Opens the state at `path` for queries and comparisons; closing it removes the files. */
  abstract open(path: string, position: number, snapshotPosition: number, replayed: number): Promise<TargetState>;
}
