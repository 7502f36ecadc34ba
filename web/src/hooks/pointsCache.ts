import type { GlobePoints } from '../../../clients/globe-vault-client/globe-points';
import { globePoints } from '../api/globe';
import { versionOf } from './dataChanges';

/**
 * Every point now, as of a time or in a backup, shared by the views that draw them (the globe, the
 * time-travel view, the restore preview) so switching views does not fetch them again. Keys carry
 * the `locations` version: a write makes the old entry unreachable, and old entries are dropped
 * beyond a few. (Across page loads the browser's HTTP cache answers an unchanged state: the
 * endpoint's ETag.)
 */
const MAX_ENTRIES = 4;
const entries = new Map<string, Promise<GlobePoints>>();

export function loadGlobePoints(at: string | undefined, version: number, backupId?: string, updatedAt = false): Promise<GlobePoints> {
  const key = `${version}|${backupId ? `backup:${backupId}` : (at ?? 'now')}|${updatedAt ? 'updated' : ''}`;
  let entry = entries.get(key);
  if (!entry) {
    entry = globePoints({ at, backupId, updatedAt });
    entries.set(key, entry);
    entry.catch(() => entries.delete(key));
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return entry;
}

/**
 * Starts fetching the live points for the Globe page before its code (three.js, a megabyte) has
 * loaded: the two travel side by side, and the page finds the answer in this cache.
 */
export function prefetchGlobePoints(): void {
  void loadGlobePoints(undefined, versionOf('locations')).catch(() => undefined);
}
