import { ConflictStrategy } from './restore';

/** A per-item choice in the Restore Wizard: keyed `location:<id>`, `dataset:<id>`, `configuration:<id>`, `settings:<key>`. */
export type Overrides = Record<string, 'target' | 'current'>;

export type ItemKind = 'dataset' | 'location' | 'configuration' | 'settings';

/**
 * What the live state changed after the target's position: the ids (and settings keys) events in
 * (target, head] name. null when the log cannot say (a file from elsewhere, whose position is not
 * one of this log's, or more ids than the diff domain keeps): every item then counts as changed.
 */
export type LiveChanges = {
  datasets: ReadonlySet<string>;
  locations: ReadonlySet<string>;
  configurations: ReadonlySet<string>;
  settings: ReadonlySet<string>;
} | null;

const SETS = { dataset: 'datasets', location: 'locations', configuration: 'configurations', settings: 'settings' } as const;

/**
 * The conflict rule. An item present on both sides with different content is a conflict only when
 * it was changed on BOTH sides since the target: the live state changed it after the target's
 * position, and the target holds another version. An item the live state did not change since then
 * differs only because the target changed it: a plain change, written like an addition, whatever
 * the strategy. (On a target of this log every differing item was changed live since the target, so
 * there each one is a conflict; plain changes come from backups that hold versions the log lacks.)
 */
export function isConflict(kind: ItemKind, id: string, changes: LiveChanges): boolean {
  return changes === null || changes[SETS[kind]].has(id);
}

export interface ConflictSides {
  key: string;
  /** Whether the item is a conflict (isConflict); a plain change takes the target unless overridden. */
  conflict: boolean;
  targetUpdatedAt: string | null;
  currentUpdatedAt: string | null;
}

/**
 * Whether the target's version of a differing item is written. A per-item override wins over
 * everything; a plain change is written; a conflict follows the strategy. newest-wins compares
 * `updated_at` (settings have none: the current value is the newest write this instance knows, so
 * it stays). `fail` never reaches here: a restore with conflicts and that strategy is refused before
 * anything is written.
 */
export function takesTarget(item: ConflictSides, strategy: ConflictStrategy, overrides: Overrides): boolean {
  const override = overrides[item.key];
  if (override) return override === 'target';
  if (!item.conflict) return true;
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
