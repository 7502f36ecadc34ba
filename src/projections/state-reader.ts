import { RecordLines, StateRecord } from './state-records';
import type { StateCounts } from './target-state';

/**
 * A whole state read at one position (LiveReadModels.reader: the live read models; TargetStates.reader:
 * a state file), for backups and exports. Guarantees every adapter keeps:
 *
 * 1. A fixed view: everything read through it is the state at `position`, however many writes
 *    land on the live read models meanwhile (its own connection, one read transaction).
 * 2. Rows come in id order (the order the state hash and a backup's payload need), streamed: memory
 *    holds a piece, not the state; the event loop is yielded to regularly, `signal` checked then.
 * 3. `close` ends the view; the reader is unusable after.
 */
export interface StateReader {
  readonly position: number;
  /** The state records as objects: for the foreign formats. */
  records(signal?: AbortSignal): AsyncIterable<StateRecord>;
  /** The same records, in file order, locations as ready-made lines (rows copied as stored: a native backup's fast path). */
  lines(signal?: AbortSignal): AsyncIterable<StateRecord | RecordLines>;
  counts(): StateCounts;
  hasDataset(id: string): boolean;
  /** Every property name the locations use (of one dataset, or all), sorted: the extra columns of a CSV export. */
  propertyKeys(datasetId?: string): string[];
  close(): void;
}
