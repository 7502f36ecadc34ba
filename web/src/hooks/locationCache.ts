import { allLocations } from '../api/globe';
import type { Location } from '../api/types';

/**
 * Every location, now, as of a time or in a backup, shared by the views that draw them (the globe, the
 * time-travel view, the restore preview) so switching views does not fetch 100,000 locations again.
 * Keys carry the `locations` version: a write makes the old entry unreachable, and old entries are
 * dropped beyond a few.
 */
const MAX_ENTRIES = 4;
const entries = new Map<string, Promise<Location[]>>();
const progress = new Map<string, Set<(loaded: number) => void>>();

export function loadAllLocations(at: string | undefined, version: number, onProgress?: (loaded: number) => void, backupId?: string): Promise<Location[]> {
  const key = `${version}|${backupId ? `backup:${backupId}` : (at ?? 'now')}`;
  if (onProgress) {
    const listeners = progress.get(key) ?? new Set();
    listeners.add(onProgress);
    progress.set(key, listeners);
  }
  let entry = entries.get(key);
  if (!entry) {
    entry = allLocations({ at, backupId }, undefined, (loaded) => progress.get(key)?.forEach((report) => report(loaded.length)));
    entries.set(key, entry);
    entry.catch(() => entries.delete(key)).finally(() => progress.delete(key));
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return entry;
}
