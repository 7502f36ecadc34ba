import { createHash, Hash } from 'node:crypto';
import { Configuration } from './configuration';
import { Dataset } from './dataset';
import { Location } from './location';
import { Settings } from './settings';

/** JSON with object keys sorted at every level: equal values, equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * sha256 of a whole Globe state, fed section by section in a fixed order (datasets, locations,
 * settings, configurations), each section's items in ascending id order. Equal states hash equal
 * whatever history or storage built them: a snapshot, a backup file and a restored copy can be
 * checked against each other. Streaming: items are hashed as they come, never collected.
 */
export class StateHasher {
  private readonly hash: Hash = createHash('sha256');
  private section = -1;
  private static readonly ORDER = ['datasets', 'locations', 'settings', 'configurations'] as const;

  dataset(d: Dataset): void {
    this.add('datasets', d);
  }
  location(l: Location): void {
    this.add('locations', l);
  }
  settings(s: Settings): void {
    this.add('settings', s);
  }
  configuration(c: Configuration): void {
    this.add('configurations', c);
  }

  digest(): string {
    this.enter(StateHasher.ORDER.length);
    return this.hash.digest('hex');
  }

  private add(section: (typeof StateHasher.ORDER)[number], item: unknown): void {
    this.enter(StateHasher.ORDER.indexOf(section));
    this.hash.update(canonicalJson(item) + '\n');
  }

  /** Sections must come in order; the markers of skipped (empty) sections are still hashed. */
  private enter(index: number): void {
    if (index < this.section) throw new Error(`state hash: section ${StateHasher.ORDER[index]} after ${StateHasher.ORDER[this.section]}`);
    while (this.section < index) {
      this.section += 1;
      if (this.section < StateHasher.ORDER.length) this.hash.update(`#${StateHasher.ORDER[this.section]}\n`);
    }
  }
}
