import { GlobeEvent } from '../domain/events';
import { EventStore } from '../events/event-store';

/**
 * The ids that can differ between the state at `from` and the state at `to` (from ≤ to, both folds
 * of the same log): every id an event in (from, to] names, and the locations of the datasets such an
 * event deletes. Any other row was written by no event in between, so it is equal on both sides,
 * and a diff need not read it: a restore to an hour ago compares thousands of rows, not a million.
 */
export interface TouchedIds {
  datasets: Set<string>;
  locations: Set<string>;
  configurations: Set<string>;
  /** Their locations as of `from` are touched too (DatasetDeleted removes whatever the dataset holds). */
  deletedDatasets: Set<string>;
}

/** Past this many ids a domain saves little over comparing every row: the full diff is used instead. */
export const MAX_TOUCHED_IDS = 250_000;

/** The ids events in (from, to] touch, read from the log; null when there are more than `limit`. */
export async function touchedBetween(store: EventStore, from: number, to: number, limit = MAX_TOUCHED_IDS): Promise<TouchedIds | null> {
  const touched: TouchedIds = { datasets: new Set(), locations: new Set(), configurations: new Set(), deletedDatasets: new Set() };
  if (to <= from) return touched;
  for await (const event of store.readAll({ fromPosition: from + 1, toPosition: to })) {
    touch(touched, event);
    if (touched.locations.size + touched.datasets.size + touched.configurations.size > limit) return null;
  }
  return touched;
}

/**
 * The last few touchedBetween answers, so that a restore reuses what its preview read (the preview
 * token binds the target and the head: the same range, the same ids). The log never changes below
 * its head, so an answer for (from, to] stays true; only memory bounds the cache.
 */
export class TouchedIdsCache {
  private readonly answers = new Map<string, Promise<TouchedIds | null>>();

  constructor(
    private readonly store: EventStore,
    private readonly size = 2,
  ) {}

  between(from: number, to: number): Promise<TouchedIds | null> {
    const key = `${from}:${to}`;
    let answer = this.answers.get(key);
    if (answer) this.answers.delete(key);
    else {
      answer = touchedBetween(this.store, from, to);
      answer.catch(() => this.answers.delete(key));
    }
    this.answers.set(key, answer);
    while (this.answers.size > this.size) this.answers.delete(this.answers.keys().next().value as string);
    return answer;
  }
}

/** Adds the ids `event` names. Exhaustive: a new event type must say what it touches. */
export function touch(touched: TouchedIds, event: GlobeEvent): void {
  switch (event.type) {
    case 'DatasetCreated':
      touched.datasets.add(event.data.dataset.id);
      return;
    case 'DatasetUpdated':
    case 'DatasetImported':
      touched.datasets.add(event.data.datasetId);
      return;
    case 'DatasetDeleted':
      touched.datasets.add(event.data.datasetId);
      touched.deletedDatasets.add(event.data.datasetId);
      return;
    case 'LocationsAdded':
      for (const l of event.data.locations) touched.locations.add(l.id);
      return;
    case 'LocationUpdated':
      touched.locations.add(event.data.locationId);
      return;
    case 'LocationsRemoved':
      for (const id of event.data.locationIds) touched.locations.add(id);
      return;
    case 'ConfigurationSaved':
      touched.configurations.add(event.data.configuration.id);
      return;
    case 'ConfigurationDeleted':
      touched.configurations.add(event.data.configurationId);
      return;
    case 'SettingsChanged': // settings are one document, always compared whole
    case 'RestoreStarted':
    case 'RestoreCompleted':
    case 'RestorePointCreated':
    case 'SnapshotsCompacted':
    case 'BackupSchedulesChanged':
    case 'LogCompacted':
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`touch: unhandled event ${JSON.stringify(unhandled)}`);
    }
  }
}
