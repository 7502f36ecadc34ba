import { RecordedEvent } from '../events/event-store';
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

  /** Opens the state at `path` for queries and comparisons; closing it removes the files. */
  abstract open(path: string, position: number, snapshotPosition: number, replayed: number): Promise<TargetState>;
}
