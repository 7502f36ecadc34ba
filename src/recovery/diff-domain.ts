import Database from 'better-sqlite3';
import { GlobeEvent } from '../domain/events';
import { EventStore } from '../events/event-store';
import { DiffDomain, DiffKind, classifySql } from './diff-sql';

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
  /** The settings keys a SettingsChanged in between patched (the domain still compares the settings whole). */
  settings: Set<string>;
}

/** Past this many ids a domain saves little over comparing every row: the full diff is used instead. */
export const MAX_TOUCHED_IDS = 250_000;

/** The ids events in (from, to] touch, read from the log; null when there are more than `limit`. */
export async function touchedBetween(store: EventStore, from: number, to: number, limit = MAX_TOUCHED_IDS): Promise<TouchedIds | null> {
  const touched: TouchedIds = { datasets: new Set(), locations: new Set(), configurations: new Set(), deletedDatasets: new Set(), settings: new Set() };
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
    case 'SettingsChanged':
      for (const key of Object.keys(event.data.patch)) touched.settings.add(key);
      return;
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

let tables = 0;

/**
 * Sorts the touched ids by change (added, changed, removed) into temporary tables of `db` (the
 * target state, `main`, with the live one attached as `live`) and answers them as a domain. The
 * tables describe the live state as it is now: a caller keeps them only while the live state stays
 * at the same position (ScratchState.domainFor), and they go when the connection closes.
 */
export function sortTouched(db: Database.Database, touched: TouchedIds): DiffDomain {
  const n = ++tables;
  const kinds: DiffKind[] = ['datasets', 'locations', 'configurations'];
  const table = (kind: DiffKind, what: string) => `temp.diff_${n}_${kind}_${what}`;
  const ids: Record<DiffKind, Set<string>> = { datasets: touched.datasets, locations: touched.locations, configurations: touched.configurations };
  db.transaction(() => {
    for (const kind of kinds) {
      db.exec(`CREATE TABLE ${table(kind, 'touched')} (id TEXT PRIMARY KEY) WITHOUT ROWID`);
      const insert = db.prepare(`INSERT OR IGNORE INTO ${table(kind, 'touched')} (id) VALUES (?)`);
      for (const id of ids[kind]) insert.run(id);
    }
    if (touched.deletedDatasets.size > 0) {
      db.prepare(`INSERT OR IGNORE INTO ${table('locations', 'touched')} (id) SELECT id FROM main.locations WHERE dataset_id IN (SELECT value FROM json_each(?))`).run(
        JSON.stringify([...touched.deletedDatasets]),
      );
    }
    for (const kind of kinds) {
      db.exec(`CREATE TABLE ${table(kind, 'changes')} (change TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (change, id)) WITHOUT ROWID`);
      db.exec(`INSERT INTO ${table(kind, 'changes')} (change, id) ${classifySql(kind, table(kind, 'touched'))}`);
      db.exec(`DROP TABLE ${table(kind, 'touched')}`);
    }
  })();
  const domain = {} as DiffDomain;
  for (const kind of kinds) {
    const of = (change: string) => `(SELECT id FROM ${table(kind, 'changes')} WHERE change = '${change}')`;
    domain[kind] = { added: of('added'), changed: of('changed'), removed: of('removed') };
  }
  return domain;
}
