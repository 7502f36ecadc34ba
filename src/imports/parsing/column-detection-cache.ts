import { ColumnMapping, detectColumns } from './column-detection';

/**
 * Column detection by a record's keys, run once per distinct key list. CSV records all
 * share the header's keys; JSON records usually share a few shapes.
 *
 * The cache holds at most `maxEntries` key lists and starts over when full, so a file
 * whose every record has different keys costs detection per record, never unbounded
 * memory. Key lists differing only in order are cached separately: order decides which
 * of two matching columns wins.
 */
export class ColumnDetectionCache {
  private readonly columnsByKeys = new Map<string, ColumnMapping>();
  /** The last record's keys and mapping: consecutive records (every CSV row) usually share them, checked without allocating. */
  private lastKeys: string[] = [];
  private lastColumns: ColumnMapping | undefined;

  constructor(private readonly maxEntries = 1000) {}

  /** The same ColumnMapping object for every record with the same keys in the same order. */
  columnsFor(record: Record<string, unknown>): ColumnMapping {
    if (this.lastColumns !== undefined && hasKeys(record, this.lastKeys)) return this.lastColumns;
    const keys = Object.keys(record);
    // NUL cannot collide in practice: no header or JSON key one would import contains it.
    const cacheKey = keys.join('\u0000');
    let columns = this.columnsByKeys.get(cacheKey);
    if (columns === undefined) {
      if (this.columnsByKeys.size >= this.maxEntries) this.columnsByKeys.clear();
      columns = detectColumns(keys);
      this.columnsByKeys.set(cacheKey, columns);
    }
    this.lastKeys = keys;
    this.lastColumns = columns;
    return columns;
  }
}

/** Whether `record`'s own keys are exactly `keys`, in order (for…in on a plain record: its own keys, as Object.keys orders them). */
function hasKeys(record: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in record) if (key !== keys[i++]) return false;
  return i === keys.length;
}
