import type { Conflict, ConflictStrategy, RestorePreview } from '../../api/types';
import { fieldName } from '../../components/fieldNames';
import { formatValue } from '../../components/format';

export type Overrides = Record<string, 'target' | 'current'>;

/** The parts of the wizard's choice that decide what a restore writes for an item that differs. */
export interface Resolution {
  strategy: ConflictStrategy;
  overrides: Overrides;
  /** Keys of the preview's plain changes (changed on the restored side only). */
  plain: ReadonlySet<string>;
}

export const resolutionOf = (preview: RestorePreview, strategy: ConflictStrategy, overrides: Overrides): Resolution => ({
  strategy,
  overrides,
  plain: new Set((preview.changes?.items ?? []).map((c) => c.key)),
});

/**
 * Whether the restore keeps the current version of an item that differs: the server's rule
 * (src/recovery/restore-plan.ts) as the wizard can apply it. An item the preview did not list (past
 * the first 200) counts as a conflict, as every differing item of a log target is.
 */
export function keepsCurrent(key: string, updated: { target?: string | null; current?: string | null }, r: Resolution): boolean {
  const override = r.overrides[key];
  if (override) return override === 'current';
  if (r.plain.has(key)) return false;
  switch (r.strategy) {
    case 'target-wins':
    case 'fail':
      return false;
    case 'keep-current':
      return true;
    case 'newest-wins':
      return !(updated.target && (!updated.current || updated.target > updated.current));
  }
}

const updatedAt = (v: unknown) => ((v as { updated_at?: string } | null)?.updated_at ?? null);
export const keepsCurrentItem = (c: Conflict, r: Resolution) => keepsCurrent(c.key, { target: updatedAt(c.target), current: updatedAt(c.current) }, r);

/** Fields every item has that say when, not what: shown only when nothing else differs. */
const BOOKKEEPING = new Set(['id', 'created_at', 'updated_at', 'locationCount', 'datasetId']);

export interface FieldChange {
  field: string;
  now: string;
  restored: string;
}

/** The fields of an item that differ between now and the restored version, by their names on screen; extra columns one by one. */
export function changedFields(c: Conflict): FieldChange[] {
  if (c.kind === 'settings') return [{ field: fieldName(c.id), now: formatValue(c.current), restored: formatValue(c.target) }];
  const now = (c.current ?? {}) as Record<string, unknown>;
  const then = (c.target ?? {}) as Record<string, unknown>;
  const rows: FieldChange[] = [];
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  for (const key of new Set([...Object.keys(then), ...Object.keys(now)])) {
    if (BOOKKEEPING.has(key) || !differs(now[key], then[key])) continue;
    if (key === 'properties') {
      const pn = (now.properties ?? {}) as Record<string, unknown>;
      const pt = (then.properties ?? {}) as Record<string, unknown>;
      for (const col of new Set([...Object.keys(pt), ...Object.keys(pn)])) {
        if (differs(pn[col], pt[col])) rows.push({ field: col, now: formatValue(pn[col]), restored: formatValue(pt[col]) });
      }
    } else rows.push({ field: fieldName(key), now: formatValue(now[key]), restored: formatValue(then[key]) });
  }
  if (rows.length === 0 && differs(now.updated_at, then.updated_at)) {
    rows.push({ field: 'Last changed', now: formatValue(now.updated_at), restored: formatValue(then.updated_at) });
  }
  return rows;
}

const KIND_WORD = { dataset: 'Dataset', location: 'Location', configuration: 'Configuration', settings: 'Setting' } as const;

/** "Location “One”", "Setting “Theme”". */
export function itemTitle(c: Conflict): string {
  const name = c.kind === 'settings' ? fieldName(c.id) : ((c.target as { name?: string } | null)?.name ?? (c.current as { name?: string } | null)?.name ?? c.id);
  return `${KIND_WORD[c.kind]} “${name}”`;
}

const COUNT_KEY = { dataset: 'datasets', location: 'locations', configuration: 'configurations' } as const;

/**
 * What the restore will write once the choices are applied: the preview's counts less the items kept
 * as they are now, and those items. `undecided` counts conflicts past the listed ones whose outcome
 * the wizard cannot know (newest-wins compares times it was not sent).
 */
export function chosenOutcome(preview: RestorePreview, r: Resolution): { counts: RestorePreview['counts']; kept: Conflict[]; undecided: number } {
  const counts = structuredClone(preview.counts);
  const listed = [...preview.conflicts.items, ...(preview.changes?.items ?? [])];
  const kept = listed.filter((c) => keepsCurrentItem(c, r));
  const unlisted = preview.conflicts.count - preview.conflicts.items.length;
  for (const c of kept) {
    if (c.kind === 'settings') counts.settings.changed -= 1;
    else counts[COUNT_KEY[c.kind]].changed -= 1;
  }
  let undecided = 0;
  if (unlisted > 0 && r.strategy === 'keep-current') {
    // the unlisted conflicts are kept too; they are locations (datasets and settings are few, listed first)
    counts.locations.changed = Math.max(0, counts.locations.changed - unlisted);
  } else if (unlisted > 0 && r.strategy === 'newest-wins') undecided = unlisted;
  return { counts, kept, undecided };
}
