import { ConflictStrategy } from './restore';

/** A per-item choice in the Restore Wizard: keyed `location:<id>`, `dataset:<id>`, `configuration:<id>`, `settings:<key>`. */
export type Overrides = Record<string, 'target' | 'current'>;

export interface ConflictSides {
  key: string;
  targetUpdatedAt: string | null;
  currentUpdatedAt: string | null;
}

/**
 * Whether the target's version of a conflicting item is written. A per-item override wins over the
 * strategy. newest-wins compares `updated_at` (settings have none: the current value is the newest
 * write this instance knows, so it stays). `fail` never reaches here: a restore with conflicts and
 * that strategy is refused before anything is written.
 */
export function takesTarget(item: ConflictSides, strategy: ConflictStrategy, overrides: Overrides): boolean {
  const override = overrides[item.key];
  if (override) return override === 'target';
  switch (strategy) {
    case 'target-wins':
    case 'fail':
      return true;
    case 'keep-current':
      return false;
    case 'newest-wins':
      return item.targetUpdatedAt !== null && (item.currentUpdatedAt === null || item.targetUpdatedAt > item.currentUpdatedAt);
  }
}
