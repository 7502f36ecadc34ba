import type { RestoreCounts } from '../api/types';
import { plural } from './format';

/** Restore counts (of a preview or a finished restore) as sentences: "1 dataset added", "2,500 locations added", … (empty when nothing changes). */
export function countSentences(c: RestoreCounts): string[] {
  const lines: string[] = [];
  const kinds = [
    ['datasets', 'dataset', 'datasets'],
    ['locations', 'location', 'locations'],
    ['configurations', 'configuration', 'configurations'],
  ] as const;
  for (const verb of ['added', 'changed', 'removed'] as const) {
    for (const [key, one, many] of kinds) if (c[key][verb] > 0) lines.push(`${plural(c[key][verb], one, many)} ${verb}`);
  }
  if (c.settings.changed > 0) lines.push(`${plural(c.settings.changed, 'setting', 'settings')} changed`);
  return lines;
}

/** A name for an item of a preview sample (a dataset, a location, a configuration). */
export const itemName = (item: unknown): string => {
  const o = item as { name?: string; id?: string } | null;
  return o?.name ?? o?.id ?? '?';
};
