import type { StateCounts } from './target-state';
import { RecordedEvent } from '../events/event-store';
import { StateReader } from './state-reader';

/**
 * The live read models as the services write them: the projector's apply path and the whole-state
 * moves of a rebuild. The queries go through GlobeReadModel and TimeTravel; a past or backed-up
 * state is a TargetState. Every adapter keeps these guarantees:
 *
 * 1. `apply` writes the effects of the events, in order, and the checkpoint (the position of the
 *    last one) in ONE transaction: after a crash the rows and the checkpoint agree, so the
 *    projector resumes exactly after the last applied event.
 * 2. `reset` and `loadState` are atomic in the same way: the checkpoint moves with the rows.
 * 3. Calls are not interleaved by the adapter: a caller that must not see another's writes in
 *    between (the projector) is the only writer, or stops the writer first (rebuild).
 * 4. Nothing here holds a transaction open across an await of the caller.
 */
export abstract class LiveReadModels {
  /** Resolves once the read-model database answers a trivial read; rejects with its error otherwise (readiness). */
  abstract ping(): Promise<void>;

  /** The last position whose effects are in the read models (0: none). */
  abstract checkpoint(): Promise<number>;

  /**
   * The row counts and the checkpoint they are at, read together (they agree: no apply commits in
   * between). Needs no scratch space, so `GET /api/state` answers it on a full disk.
   */
  abstract counts(): Promise<{ position: number; counts: StateCounts }>;

  abstract apply(events: RecordedEvent[]): Promise<void>;

  /** Empties every read model and sets the checkpoint to 0: the next apply starts from position 1. */
  abstract reset(): Promise<void>;

  /** Copies a whole state in (a state file, as snapshots and prepared backups hold one), with its checkpoint. */
  abstract loadState(statePath: string): Promise<void>;

  /**
   * Writes a state file at `path` (a new file): the read models and their checkpoint as of one
   * moment between two applies, nothing else of the database. Answers the position it holds.
   */
  abstract exportState(path: string): Promise<number>;

  /** Reads the whole state at the checkpoint it is at now, a fixed view while applies go on (StateReader's guarantees). */
  abstract reader(): Promise<StateReader>;
}
