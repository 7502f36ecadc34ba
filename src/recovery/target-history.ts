import { RestoreTarget } from '../domain/restore';
import { EventStore } from '../events/event-store';
import { TouchedIds, TouchedIdsCache } from '../projections/touched-ids';
import { LiveChanges } from '../domain/restore-plan';

/**
 * What the log says about a restore target against the live state at `base`, read once per range
 * (the cache: a restore reuses what its preview read).
 */
export class TargetHistory {
  private readonly cache: TouchedIdsCache;

  constructor(store: EventStore) {
    this.cache = new TouchedIdsCache(store);
  }

  /**
   * The ids that can differ between the state at `position` and the live one at `base` (both folds
   * of this log); null (compare every row) for a backup's state, which the log does not describe.
   */
  async touched(target: RestoreTarget, position: number, base: number): Promise<TouchedIds | null> {
    if ('backupId' in target || position > base) return null;
    return this.cache.between(position, base);
  }

  /**
   * What the live state changed after the target (the conflict rule, restore-plan.ts): the ids events
   * in (position, base] name. A backup's position is its head in the log it was taken from: this log
   * for a backup taken here; 0 for a file from elsewhere, whose history is unknown (null: all changed).
   */
  async liveChanges(target: RestoreTarget, position: number, base: number): Promise<LiveChanges> {
    if (position > base || ('backupId' in target && position === 0)) return null;
    return this.cache.between(position, base).catch(() => null);
  }
}
