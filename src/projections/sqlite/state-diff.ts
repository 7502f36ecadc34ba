import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS, Settings } from '../../domain/settings';
import { RestoreCounts, RestoreScope } from '../../domain/restore';
import { ConfigurationEntity } from '../entities/configuration.entity';
import { DatasetEntity } from '../entities/dataset.entity';
import { LocationEntity } from '../entities/location.entity';
import { toConfiguration, toDataset, toLocation } from '../row-mappers';
import { Conflict, StateDiff } from '../target-state';
import { DiffDomain, DiffKind, addedSql, changedParams, changedSql, entitySelect, includesSettings, removedSql, scopeFilter } from './diff-sql';

const KINDS: DiffKind[] = ['datasets', 'locations', 'configurations'];
const toDomain: Record<DiffKind, (row: unknown) => unknown> = {
  datasets: (r) => toDataset(r as DatasetEntity),
  locations: (r) => toLocation(r as LocationEntity),
  configurations: (r) => toConfiguration(r as ConfigurationEntity),
};
const singular = { datasets: 'dataset', locations: 'location', configurations: 'configuration' } as const;

/** Settings documents of both sides (defaults where a side never stored one). */
export function settingsPair(db: Database.Database): { target: Settings; current: Settings } {
  const read = (schema: string) => {
    const row = db.prepare(`SELECT document FROM ${schema}.settings WHERE id = 'app'`).get() as { document: string } | undefined;
    return { ...DEFAULT_SETTINGS, ...(row ? JSON.parse(row.document) : {}) } as Settings;
  };
  return { target: read('main'), current: read('live') };
}

export function changedSettingKeys(db: Database.Database, scope: RestoreScope): (keyof Settings)[] {
  if (!includesSettings(scope)) return [];
  const { target, current } = settingsPair(db);
  return (Object.keys(target) as (keyof Settings)[]).filter((k) => JSON.stringify(target[k]) !== JSON.stringify(current[k]));
}

/**
 * What restoring the target over the live state would do, for the scope: counts, up to
 * `sampleSize` examples of each change, and the conflicts (items present on both sides that differ,
 * up to `conflictLimit` listed; the count is exact). Reads only; `db` has `live` attached. With a
 * domain (sort-touched.ts) only its ids are compared: the same counts, for a fraction of the reads.
 */
export function diffStates(db: Database.Database, scope: RestoreScope, domain: DiffDomain | null = null, sampleSize = 10, conflictLimit = 200): StateDiff {
  const counts = {} as RestoreCounts;
  const samples = {} as StateDiff['samples'];
  const conflicts: Conflict[] = [];
  let conflictCount = 0;
  for (const kind of KINDS) {
    const f = scopeFilter(kind, scope, domain);
    const count = (sql: string, params: unknown[]) => (db.prepare(`SELECT count(*) AS n FROM (${sql})`).get(...params) as { n: number }).n;
    const changed = count(changedSql(kind, f), changedParams(f));
    counts[kind] = { added: count(addedSql(kind, f), f.params), changed, removed: count(removedSql(kind, f), f.params) };
    const pairs = db
      .prepare(`SELECT t.id AS id FROM (${changedSql(kind, f)}) t LIMIT ?`)
      .all(...changedParams(f), Math.max(sampleSize, conflictLimit)) as { id: string }[];
    const pairOf = (id: string) => ({
      id,
      target: toDomain[kind](db.prepare(`SELECT ${entitySelect(kind, 't')} FROM main.${kind} t WHERE t.id = ?`).get(id)),
      current: toDomain[kind](db.prepare(`SELECT ${entitySelect(kind, 'c')} FROM live.${kind} c WHERE c.id = ?`).get(id)),
    });
    const listed = pairs.map((p) => pairOf(p.id));
    samples[kind] = {
      added: db.prepare(`${addedSql(kind, f, entitySelect(kind, 't'))} LIMIT ?`).all(...f.params, sampleSize).map((r) => toDomain[kind](r)),
      changed: listed.slice(0, sampleSize),
      removed: db.prepare(`${removedSql(kind, f, entitySelect(kind, 'c'))} LIMIT ?`).all(...f.params, sampleSize).map((r) => toDomain[kind](r)),
    };
    conflictCount += changed;
    for (const p of listed.slice(0, Math.max(0, conflictLimit - conflicts.length))) {
      conflicts.push({ key: `${singular[kind]}:${p.id}`, kind: singular[kind], id: p.id, current: p.current, target: p.target });
    }
  }
  const keys = changedSettingKeys(db, scope);
  const { target, current } = settingsPair(db);
  counts.settings = { changed: keys.length };
  samples.settings = { changed: keys.map((key) => ({ key, current: current[key], target: target[key] })) };
  conflictCount += keys.length;
  for (const key of keys) conflicts.push({ key: `settings:${key}`, kind: 'settings', id: key, current: current[key], target: target[key] });
  return { counts, samples, conflicts: { count: conflictCount, items: conflicts } };
}

/** The last attachment queued on each scratch connection: attachments to one connection take turns. */
const attachments = new WeakMap<Database.Database, Promise<unknown>>();

/**
 * Attaches the live read models to a scratch connection as `live` while `fn` runs (it only reads
 * them). A scratch state may be shared (two previews of one backup at once, as the Backup Browser
 * and the Restore Wizard make them): their attachments take turns on the connection, since a
 * second `ATTACH … AS live` while the first is open fails ("database live is already in use").
 */
export function withLiveAttached<R>(db: Database.Database, livePath: string, fn: () => R | Promise<R>): Promise<R> {
  const run = (attachments.get(db) ?? Promise.resolve()).then(async () => {
    db.prepare('ATTACH DATABASE ? AS live').run(livePath);
    try {
      return await fn();
    } finally {
      db.exec('DETACH DATABASE live');
    }
  });
  attachments.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}
