import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../common/app-error';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { EventStore } from '../events/event-store';
import { TargetState } from '../projections/target-state';
import { TargetStates } from '../projections/target-states';
import { SnapshotLease } from '../snapshots/snapshot-lease';
import { SnapshotStore } from '../snapshots/snapshot-store';

const CACHE_SIZE = 2;

/**
 * stateAt(position) = the newest valid snapshot at or before it + replay of the events after it up
 * to the position, into a scratch file. Its cost grows with the events since that snapshot, not
 * with the log. An unusable snapshot is skipped for the next older one; with none, replay starts
 * from an empty state. The last few states are kept (a preview, then its restore, then time-travel
 * reads at the same moment all reuse one).
 */
@Injectable()
export class StateAtService implements OnModuleDestroy {
  private readonly dir: string;
  private readonly cache = new Map<number, CacheEntry>();

  constructor(
    private readonly store: EventStore,
    private readonly snapshots: SnapshotStore,
    private readonly lease: SnapshotLease,
    private readonly states: TargetStates,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.dir = tmpDirOf(config);
  }

  async onModuleDestroy(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    for (const entry of entries) await closeEntry(entry);
  }

  /**
   * Runs `fn` with the state at `position` (0 = before the first event). The state stays open until
   * every user has finished, even if it leaves the cache meanwhile.
   */
  async use<R>(position: number, fn: (state: TargetState) => Promise<R> | R): Promise<R> {
    let entry = this.cache.get(position);
    if (entry) this.cache.delete(position);
    else {
      entry = { state: this.build(position), users: 0, evicted: false };
      entry.state.catch(() => this.cache.delete(position));
    }
    this.cache.set(position, entry);
    this.evictBeyond(CACHE_SIZE);
    entry.users += 1;
    try {
      return await fn(await entry.state);
    } finally {
      entry.users -= 1;
      if (entry.evicted && entry.users === 0) void closeEntry(entry);
    }
  }

  /** Drops every cached state, e.g. after a rebuild changed what backs them. */
  clear(): void {
    this.evictBeyond(0);
  }

  private evictBeyond(size: number): void {
    while (this.cache.size > size) {
      const [oldest, entry] = this.cache.entries().next().value as [number, CacheEntry];
      this.cache.delete(oldest);
      entry.evicted = true;
      if (entry.users === 0) void closeEntry(entry);
    }
  }

  private async historyCompacted(position: number, first: number): Promise<AppError> {
    const [compacted] = await this.store.query({ types: ['LogCompacted'], direction: 'backward', limit: 1 });
    const backup = compacted?.type === 'LogCompacted' ? compacted.data.backup : null;
    return new AppError(
      'HISTORY.COMPACTED',
      `the log before position ${first} was compacted; the state at ${position} is restorable from backup ${backup?.id ?? '(unknown)'}`,
      410,
      { position, firstPosition: first, backup },
    );
  }

  private async build(position: number): Promise<TargetState> {
    const path = join(this.dir, `state-${uuidv7()}.sqlite`);
    const base = await this.startingPoint(path, position);
    const replayed = await this.states.replay(path, this.store.readAll({ fromPosition: base + 1, toPosition: position }));
    return this.states.open(path, position, base, replayed);
  }

  /**
   * Writes the starting state to `path` and answers its position: a snapshot's, or 0 with empty
   * tables. A snapshot serves only if every event between it and `position` is still in the log
   * (after a log compaction, older snapshots would replay over a gap): otherwise the state before
   * the log's start is gone from here and lives in the backup named by the error.
   */
  private async startingPoint(path: string, position: number): Promise<number> {
    const first = await this.store.firstPosition();
    const replayable = (p: number) => p === position || first <= 1 || p >= first - 1;
    // A snapshot still being finished (e.g. the one just before a restore, which its undo wants) is
    // worth the wait: it saves replaying everything since the previous one.
    await this.snapshots.settled(position);
    const fromSnapshot = await this.lease.shared(async () => {
      for (const snapshot of (await this.snapshots.candidatesAtOrBefore(position)).filter((s) => replayable(s.position))) {
        try {
          await this.snapshots.materialize(snapshot, path);
          return snapshot.position;
        } catch {
          // marked invalid and logged by the store; try the next older one
        }
      }
      return null;
    });
    if (fromSnapshot !== null) return fromSnapshot;
    if (first > 1) throw await this.historyCompacted(position, first);
    await this.states.createEmpty(path);
    return 0;
  }
}

interface CacheEntry {
  state: Promise<TargetState>;
  users: number;
  evicted: boolean;
}

async function closeEntry(entry: CacheEntry): Promise<void> {
  const state = await entry.state.catch(() => null);
  await state?.close();
}
