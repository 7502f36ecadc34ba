import Database from 'better-sqlite3';
import { MAX_LOCATIONS_PER_EVENT, GlobeEvent } from '../../domain/events';
import { Location, LocationData } from '../../domain/location';
import { RestoreCounts, RestoreScope } from '../../domain/restore';
import { ConfigurationEntity } from '../entities/configuration.entity';
import { DatasetEntity } from '../entities/dataset.entity';
import { LocationEntity } from '../entities/location.entity';
import { toConfiguration, toDataset, toLocation } from '../row-mappers';
import { DiffDomain, addedSql, changedParams, changedSql, entitySelect, removedSql, scopeFilter } from './diff-sql';
import { takesTarget } from '../../domain/restore-plan';
import { changedSettingKeys, settingsPair } from './state-diff';
import { Resolution } from '../target-state';

type Row = Record<string, unknown> & { id: string; current_updated_at?: string };

/**
 * The events that turn the live state (attached as `live`) into the target (`main`) within the
 * scope: datasets first (so locations have a home), then locations (added and changed ones as
 * upserts carrying the target's exact version, in chunks), then removals, settings and
 * configurations. Lazy: rows are read as the store consumes events, inside its transaction. Applying
 * the events makes the scoped live state equal the target, except items the resolution keeps.
 * `counts` is filled with what was emitted. With a domain (sort-touched.ts) only its ids are read.
 */
export function* compensatingEvents(
  db: Database.Database,
  scope: RestoreScope,
  resolution: Resolution,
  counts: RestoreCounts,
  domain: DiffDomain | null = null,
): Generator<GlobeEvent> {
  const keep = (key: string, row: Row) =>
    !takesTarget({ key, targetUpdatedAt: (row.updated_at as string) ?? null, currentUpdatedAt: row.current_updated_at ?? null }, resolution.strategy, resolution.overrides);

  const ds = scopeFilter('datasets', scope, domain);
  for (const row of iterate(db, addedSql('datasets', ds, entitySelect('datasets', 't')), ds.params)) {
    counts.datasets.added += 1;
    yield { type: 'DatasetCreated', data: { dataset: toDataset(row as unknown as DatasetEntity) } };
  }
  for (const row of iterate(db, changedSql('datasets', ds, `${entitySelect('datasets', 't')}, c.updated_at AS current_updated_at`), changedParams(ds))) {
    if (keep(`dataset:${row.id}`, row)) continue;
    const d = toDataset(row as unknown as DatasetEntity);
    counts.datasets.changed += 1;
    const changes = { name: d.name, description: d.description, color: d.color, visible: d.visible, columnMapping: d.columnMapping, source: d.source };
    yield { type: 'DatasetUpdated', data: { datasetId: d.id, changes, updated_at: d.updated_at } };
  }

  const loc = scopeFilter('locations', scope, domain);
  const upserts = new LocationChunker();
  for (const row of iterate(db, `${addedSql('locations', loc, entitySelect('locations', 't'))} ORDER BY t.dataset_id, t.id`, loc.params)) {
    counts.locations.added += 1;
    yield* upserts.push(toLocation(row as unknown as LocationEntity));
  }
  const changedLocations = `${changedSql('locations', loc, `${entitySelect('locations', 't')}, c.updated_at AS current_updated_at`)} ORDER BY t.dataset_id, t.id`;
  for (const row of iterate(db, changedLocations, changedParams(loc))) {
    if (keep(`location:${row.id}`, row)) continue;
    counts.locations.changed += 1;
    yield* upserts.push(toLocation(row as unknown as LocationEntity));
  }
  yield* upserts.flush();

  // Locations of datasets this restore deletes go with their DatasetDeleted (one event, not thousands).
  // Only those: a location whose dataset is already gone (an orphan) needs its own removal.
  const inDeletedDataset = 'c.dataset_id IN (SELECT d.id FROM live.datasets d WHERE d.id NOT IN (SELECT id FROM main.datasets))';
  counts.locations.removed += (
    db.prepare(`SELECT count(*) AS n FROM (${removedSql('locations', loc, 'c.id')} AND ${inDeletedDataset})`).get(...loc.params) as { n: number }
  ).n;
  let removal: { datasetId: string; ids: string[] } | null = null;
  const removedLocations = `${removedSql('locations', loc, 'c.id AS id, c.dataset_id AS dataset_id')} AND NOT (${inDeletedDataset}) ORDER BY c.dataset_id, c.id`;
  for (const row of iterate(db, removedLocations, loc.params)) {
    counts.locations.removed += 1;
    const datasetId = row.dataset_id as string;
    if (removal && (removal.datasetId !== datasetId || removal.ids.length >= MAX_LOCATIONS_PER_EVENT)) {
      yield { type: 'LocationsRemoved', data: { datasetId: removal.datasetId, locationIds: removal.ids } };
      removal = null;
    }
    removal ??= { datasetId, ids: [] };
    removal.ids.push(row.id);
  }
  if (removal) yield { type: 'LocationsRemoved', data: { datasetId: removal.datasetId, locationIds: removal.ids } };
  for (const row of iterate(db, removedSql('datasets', ds, 'c.id AS id'), ds.params)) {
    counts.datasets.removed += 1;
    yield { type: 'DatasetDeleted', data: { datasetId: row.id } };
  }

  const { target } = settingsPair(db);
  const patch: Record<string, unknown> = {};
  for (const key of changedSettingKeys(db, scope)) {
    if (takesTarget({ key: `settings:${key}`, targetUpdatedAt: null, currentUpdatedAt: null }, resolution.strategy, resolution.overrides)) patch[key] = target[key];
  }
  counts.settings.changed = Object.keys(patch).length;
  if (counts.settings.changed > 0) yield { type: 'SettingsChanged', data: { patch } };

  const cf = scopeFilter('configurations', scope, domain);
  for (const row of iterate(db, addedSql('configurations', cf, entitySelect('configurations', 't')), cf.params)) {
    counts.configurations.added += 1;
    yield { type: 'ConfigurationSaved', data: { configuration: toConfiguration(row as unknown as ConfigurationEntity) } };
  }
  for (const row of iterate(db, changedSql('configurations', cf, `${entitySelect('configurations', 't')}, c.updated_at AS current_updated_at`), changedParams(cf))) {
    if (keep(`configuration:${row.id}`, row)) continue;
    counts.configurations.changed += 1;
    yield { type: 'ConfigurationSaved', data: { configuration: toConfiguration(row as unknown as ConfigurationEntity) } };
  }
  for (const row of iterate(db, removedSql('configurations', cf, 'c.id AS id'), cf.params)) {
    counts.configurations.removed += 1;
    yield { type: 'ConfigurationDeleted', data: { configurationId: row.id } };
  }
}

function iterate(db: Database.Database, sql: string, params: unknown[]): IterableIterator<Row> {
  return db.prepare(sql).iterate(...params) as IterableIterator<Row>;
}

/** Groups upserts by dataset into LocationsAdded events of at most MAX_LOCATIONS_PER_EVENT. */
class LocationChunker {
  private datasetId: string | null = null;
  private locations: LocationData[] = [];

  *push(location: Location): Generator<GlobeEvent> {
    if (this.datasetId !== null && (this.datasetId !== location.datasetId || this.locations.length >= MAX_LOCATIONS_PER_EVENT)) yield* this.flush();
    const { datasetId, ...data } = location;
    this.datasetId = datasetId;
    this.locations.push(data);
  }

  *flush(): Generator<GlobeEvent> {
    if (this.datasetId !== null && this.locations.length > 0) {
      yield { type: 'LocationsAdded', data: { datasetId: this.datasetId, locations: this.locations } };
    }
    this.datasetId = null;
    this.locations = [];
  }
}
