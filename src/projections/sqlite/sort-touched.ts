import Database from 'better-sqlite3';
import { TouchedIds } from '../touched-ids';
import { DiffDomain, DiffKind, classifySql } from './diff-sql';

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
