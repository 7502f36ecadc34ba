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

  constructor(private readonly maxEntries = 1000) {}

  /** The same ColumnMapping object for every record with the same keys in the same order. */
  columnsFor(record: Record<string, unknown>): ColumnMapping {
    const keys = Object.keys(record);
    // NUL cannot collide in practice: no header or JSON key one would import contains it.
    const cacheKey = keys.join('\u0000');
    let columns = this.columnsByKeys.get(cacheKey);
    if (columns === undefined) {
      if (this.columnsByKeys.size >= this.maxEntries) this.columnsByKeys.clear();
      columns = detectColumns(keys);
      this.columnsByKeys.set(cacheKey, columns);
    }
    return columns;
  }
}
