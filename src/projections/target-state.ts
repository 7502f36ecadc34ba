import type { DataSource } from 'typeorm';
import { GlobeEvent } from '../domain/events';
import { ConflictStrategy, RestoreCounts, RestoreScope } from '../domain/restore';
import { Overrides } from '../domain/restore-plan';
import { TouchedIds } from './touched-ids';

/**
 * A whole state other than the live one, at one position: the log's at a past position, a backup's,
 * the archive's. It answers the same queries as the live read models and compares itself with them
 * for a restore. Guarantees every adapter keeps:
 *
 * 1. It is a copy: nothing done through it changes the live read models or the state it came from.
 * 2. A comparison reads the live read models and this state as of one moment: the counts, samples
 *    and conflicts of `diffWithLive` agree with each other and with the `basePosition` it answers.
 * 3. With touched ids (touched-ids.ts) for a live state still at `base`, only those ids are
 *    compared, and the answer is the one comparing every row would give.
 * 4. `close` releases whatever holds the state (files, connections); the state is unusable after.
 */
export interface TargetState {
  /** Where the state lives: the state file a snapshot copies (snapshots.takeFrom) and a rebuild loads (LiveReadModels.loadState). */
  readonly path: string;
  readonly position: number;
  /** The snapshot it was built from (-1: not from a snapshot, e.g. a backup's records). */
  readonly snapshotPosition: number;
  /** Events replayed on top of that snapshot. */
  readonly replayed: number;
  /** Answers the same TypeORM queries as the live read models (time-travel reads). */
  readonly dataSource: DataSource;
  counts(): Promise<StateCounts>;
  /** Its StateHasher digest (domain/state-hash.ts). */
  hash(): Promise<string>;
  /** What restoring this state over the live one would do within `scope`, and the live position it was compared at. */
  diffWithLive(scope: RestoreScope, base: number, touched: TouchedIds | null): Promise<{ diff: StateDiff; basePosition: number }>;
  /** Runs `fn` with the live read models readable beside this state; the comparison is valid only until `fn` settles. */
  withLive<R>(fn: (live: LiveComparison) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

export interface LiveComparison {
  /** The live read models' checkpoint as this comparison sees them. */
  readonly position: number;
  /**
   * The events that turn the live state into this one within the scope (datasets first, then
   * locations in chunks, removals, settings, configurations), read lazily as the consumer takes
   * them (an append, inside its transaction); `counts` is filled with what was emitted.
   */
  compensatingEvents(scope: RestoreScope, resolution: Resolution, counts: RestoreCounts, touched: TouchedIds | null): Iterable<GlobeEvent>;
}

export interface StateCounts {
  datasets: number;
  locations: number;
  configurations: number;
}

export interface Resolution {
  strategy: ConflictStrategy;
  overrides: Overrides;
}

export interface Conflict {
  key: string;
  kind: 'dataset' | 'location' | 'configuration' | 'settings';
  id: string;
  current: unknown;
  target: unknown;
}

export type DiffSamples = { added: unknown[]; changed: { id: string; current: unknown; target: unknown }[]; removed: unknown[] };

export interface StateDiff {
  counts: RestoreCounts;
  samples: Record<'datasets' | 'locations' | 'configurations', DiffSamples> & {
    settings: { changed: { key: string; current: unknown; target: unknown }[] };
  };
  conflicts: { count: number; items: Conflict[] };
}

export const emptyCounts = (): RestoreCounts => ({
  datasets: { added: 0, changed: 0, removed: 0 },
  locations: { added: 0, changed: 0, removed: 0 },
  configurations: { added: 0, changed: 0, removed: 0 },
  settings: { changed: 0 },
});
