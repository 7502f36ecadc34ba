import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { EVENTS_PRAGMAS, EVENTS_SCHEMA } from '../src/events/sqlite/events-schema.sql';
import { locationTuples, LocationTuple } from './globe-csv';
import { Stopwatch } from './measure';

/** The projector's statement (SqliteReadModelWriter.upsertLocation), verbatim. */
const UPSERT_LOCATION = `INSERT OR REPLACE INTO locations (id, dataset_id, name, latitude, longitude, quantity, properties, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** The projector's rows per read-model transaction (projector.ts MAX_ROWS_PER_TRANSACTION). */
export const ROWS_PER_TRANSACTION = 20_000;

/** The `locations` table and its indexes exactly as the server's TypeORM synchronize created them. */
export function locationsSchema(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'locations' AND sql IS NOT NULL ORDER BY type DESC")
      .all();
    if (rows.length === 0) throw new Error('no locations table in the read models');
    return rows.map((r) => r.sql);
  } finally {
    db.close();
  }
}

/**
 * The physical limit of the projection's write: the same rows (`locationTuples`, built untimed a
 * transaction at a time) inserted by the projector's own prepared statement into a fresh file with
 * the live table's schema and the read-model file's pragmas (WAL, synchronous=NORMAL),
 * ROWS_PER_TRANSACTION rows per transaction. Only the transactions are timed.
 */
export function bareLocationInserts(dir: string, schema: string[], rows: number, datasetId: string, now: string): Stopwatch {
  const file = join(dir, `bare-locations-${uuidv7()}.sqlite`);
  const db = new Database(file);
  const watch = new Stopwatch();
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    for (const sql of schema) db.exec(sql);
    const insert = db.prepare<LocationTuple>(UPSERT_LOCATION);
    const insertAll = db.transaction((tuples: LocationTuple[]) => {
      for (const t of tuples) insert.run(...t);
    });
    for (let from = 0; from < rows; from += ROWS_PER_TRANSACTION) {
      const tuples = locationTuples(from, Math.min(rows, from + ROWS_PER_TRANSACTION), datasetId, now);
      watch.time(() => insertAll.immediate(tuples));
      watch.count += tuples.length;
    }
    const n = (db.prepare('SELECT count(*) AS n FROM locations').get() as { n: number }).n;
    if (n !== rows) throw new Error(`bare inserts wrote ${n} rows, expected ${rows}`);
  } finally {
    db.close();
    removeDb(file);
  }
  return watch;
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * The physical limit of the import's writing phase: `LocationsAdded` rows of 1,000 locations each
 * (the data JSON the serializer would write, built untimed), inserted into a fresh `events` table
 * (its schema and pragmas: WAL, synchronous=FULL) in ONE `BEGIN IMMEDIATE … COMMIT`, as the import
 * appends. Only the inserts and the commit are timed: no validation, no serialization.
 */
export function bareEventInserts(dir: string, rows: number, datasetId: string, now: string): Stopwatch {
  const file = join(dir, `bare-events-${uuidv7()}.sqlite`);
  const db = new Database(file);
  const watch = new Stopwatch();
  try {
    for (const pragma of EVENTS_PRAGMAS) db.pragma(pragma);
    db.exec(EVENTS_SCHEMA);
    const insert = db.prepare(
      'INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const metadata = JSON.stringify({ actor: 'bench', source: 'import', correlationId: uuidv7(), causationId: null });
    const stream = `dataset-${datasetId}`;
    const recordedAt = Date.now();
    watch.time(() => db.exec('BEGIN IMMEDIATE'));
    let revision = 0;
    for (let from = 0; from < rows; from += 1000) {
      const locations = locationTuples(from, Math.min(rows, from + 1000), datasetId, now).map(([id, , name, latitude, longitude, , properties, created_at, updated_at]) => ({
        id,
        name,
        latitude,
        longitude,
        properties: JSON.parse(properties),
        created_at,
        updated_at,
      }));
      const data = JSON.stringify({ datasetId, locations });
      watch.time(() => insert.run(uuidv7(), stream, revision++, 'LocationsAdded', 1, data, metadata, recordedAt));
      watch.count += locations.length;
    }
    watch.time(() => db.exec('COMMIT'));
  } finally {
    db.close();
    removeDb(file);
  }
  return watch;
}
