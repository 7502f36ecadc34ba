import 'reflect-metadata';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sqlite3 from 'sqlite3';
import { DataSource, EntitySchema } from 'typeorm';
import { EVENTS_PRAGMAS, EVENTS_SCHEMA } from '../src/events/sqlite/events-schema.sql';
import { EventTuple, locationBatch, serializedRows } from './location-events';
import { freshDir, machine, peakRssMiB, printMachine, printTable, scaled, Stopwatch, writeResults } from './measure';

/**
 * Which SQLite driver: the same rows (the events table, WAL, synchronous=FULL) inserted by each
 * candidate, 1,000 rows per transaction. The variants take turns batch by batch (the order rotating)
 * so that the noise of a shared machine falls on all of them alike and the ratios hold.
 */
const ROWS = 200_000;
const BATCH = 1000;
const STREAMS = 100;

const INSERT_SQL =
  'INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

interface Variant {
  name: string;
  open(file: string): Promise<void>;
  /** Untimed: whatever the driver's API needs built from the rows before the insert itself. */
  prepareBatch?(rows: EventTuple[]): void;
  insertBatch(rows: EventTuple[]): Promise<void>;
  /** `journal_mode`, `synchronous` and the row count, checked after the run. */
  check(): Promise<{ journalMode: string; synchronous: number; rows: number }>;
  close(): Promise<void>;
}

function betterSqlite3Bare(): Variant {
  let db: Database.Database;
  let insertAll: (rows: EventTuple[]) => void;
  return {
    name: 'better-sqlite3, prepared statement',
    async open(file) {
      db = new Database(file);
      for (const pragma of EVENTS_PRAGMAS) db.pragma(pragma);
      db.exec(EVENTS_SCHEMA);
      const insert = db.prepare<EventTuple>(INSERT_SQL);
      insertAll = db.transaction((rows: EventTuple[]) => {
        for (const row of rows) insert.run(...row);
      });
    },
    async insertBatch(rows) {
      insertAll(rows);
    },
    async check() {
      return {
        journalMode: db.pragma('journal_mode', { simple: true }) as string,
        synchronous: db.pragma('synchronous', { simple: true }) as number,
        rows: (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
      };
    },
    async close() {
      db.close();
    },
  };
}

/** node-sqlite3 with small promise wrappers; `pipelined` queues a batch's runs without awaiting each one. */
function nodeSqlite3(pipelined: boolean): Variant {
  let db: sqlite3.Database;
  let insert: sqlite3.Statement;
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
  const get = <T>(sql: string) => new Promise<T>((resolve, reject) => db.get(sql, (e: Error | null, row: T) => (e ? reject(e) : resolve(row))));
  const run = (row: EventTuple) => new Promise<void>((resolve, reject) => insert.run(row, (e: Error | null) => (e ? reject(e) : resolve())));
  return {
    name: pipelined ? 'sqlite3 (async), prepared, runs queued then awaited' : 'sqlite3 (async), prepared, each run awaited',
    async open(file) {
      db = await new Promise<sqlite3.Database>((resolve, reject) => {
        const d = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(d)));
      });
      for (const pragma of EVENTS_PRAGMAS) await exec(`PRAGMA ${pragma}`);
      await exec(EVENTS_SCHEMA);
      insert = await new Promise<sqlite3.Statement>((resolve, reject) => {
        const s = db.prepare(INSERT_SQL, (e) => (e ? reject(e) : resolve(s)));
      });
    },
    async insertBatch(rows) {
      await exec('BEGIN');
      try {
        if (pipelined) await Promise.all(rows.map(run));
        else for (const row of rows) await run(row);
        await exec('COMMIT');
      } catch (error) {
        await exec('ROLLBACK');
        throw error;
      }
    },
    async check() {
      return {
        journalMode: (await get<{ journal_mode: string }>('PRAGMA journal_mode')).journal_mode,
        synchronous: (await get<{ synchronous: number }>('PRAGMA synchronous')).synchronous,
        rows: (await get<{ n: number }>('SELECT count(*) AS n FROM events')).n,
      };
    },
    async close() {
      await new Promise<void>((resolve, reject) => insert.finalize((e) => (e ? reject(e) : resolve())));
      await new Promise<void>((resolve, reject) => db.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

interface EventEntity {
  position?: number;
  eventId: string;
  stream: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  recordedAt: number;
}

/** The events table as TypeORM sees it; the table itself is created by EVENTS_SCHEMA, not synchronized. */
const EventEntitySchema = new EntitySchema<EventEntity>({
  name: 'Event',
  tableName: 'events',
  columns: {
    position: { type: 'integer', primary: true, generated: 'increment' },
    eventId: { name: 'event_id', type: 'text', unique: true },
    stream: { type: 'text' },
    revision: { type: 'integer' },
    type: { type: 'text' },
    schemaVersion: { name: 'schema_version', type: 'integer' },
    data: { type: 'text' },
    metadata: { type: 'text' },
    recordedAt: { name: 'recorded_at', type: 'integer' },
  },
});

/** TypeORM 0.3: one `manager.insert(Event, rows)` (a multi-row INSERT) in `dataSource.transaction` per batch. */
function typeorm(driver: 'better-sqlite3' | 'sqlite'): Variant {
  let ds: DataSource;
  let pending: EventEntity[] = [];
  return {
    name: `TypeORM insert(), ${driver === 'sqlite' ? 'sqlite3' : driver} driver`,
    async open(file) {
      const common = { database: file, entities: [EventEntitySchema], synchronize: false, logging: false };
      ds = new DataSource(
        driver === 'better-sqlite3'
          ? {
              type: 'better-sqlite3',
              ...common,
              prepareDatabase: (db: Database.Database) => {
                for (const pragma of EVENTS_PRAGMAS) db.pragma(pragma);
              },
            }
          : { type: 'sqlite', ...common },
      );
      await ds.initialize();
      if (driver === 'sqlite') for (const pragma of EVENTS_PRAGMAS) await ds.query(`PRAGMA ${pragma}`);
      await ds.query(EVENTS_SCHEMA);
    },
    // Fresh objects per variant: TypeORM writes the generated position back into them.
    prepareBatch(rows) {
      pending = rows.map(([eventId, stream, revision, type, schemaVersion, data, metadata, recordedAt]) => ({
        eventId,
        stream,
        revision,
        type,
        schemaVersion,
        data,
        metadata,
        recordedAt,
      }));
    },
    async insertBatch() {
      await ds.transaction((manager) => manager.insert(EventEntitySchema, pending));
    },
    async check() {
      const [{ journal_mode }] = await ds.query('PRAGMA journal_mode');
      const [{ synchronous }] = await ds.query('PRAGMA synchronous');
      const [{ n }] = await ds.query('SELECT count(*) AS n FROM events');
      return { journalMode: journal_mode, synchronous, rows: n };
    },
    async close() {
      await ds.destroy();
    },
  };
}

export async function driverBench(): Promise<void> {
  const info = machine();
  const rowsTotal = scaled(ROWS, BATCH);
  const batches = rowsTotal / BATCH;
  console.log(`driver: ${rowsTotal.toLocaleString('en-US')} rows, ${BATCH} per transaction, WAL + synchronous=FULL, variants interleaved by batch`);
  printMachine(info);

  const variants: Variant[] = [betterSqlite3Bare(), nodeSqlite3(false), nodeSqlite3(true), typeorm('better-sqlite3'), typeorm('sqlite')];
  const { dir, cleanup } = freshDir('driver');
  const watches = variants.map(() => new Stopwatch());
  let dataBytes = 0;
  try {
    for (const [i, v] of variants.entries()) await v.open(join(dir, `events-${i}.sqlite`));
    for (let b = 0; b < batches; b++) {
      const rows = serializedRows(locationBatch(b, BATCH, STREAMS), Date.now());
      for (const row of rows) dataBytes += row[5].length;
      for (let k = 0; k < variants.length; k++) {
        const i = (b + k) % variants.length;
        const v = variants[i];
        v.prepareBatch?.(rows);
        await watches[i].timeAsync(() => v.insertBatch(rows));
      }
    }
    const checks: Awaited<ReturnType<Variant['check']>>[] = [];
    for (const v of variants) checks.push(await v.check());
    const baseRate = watches[0].rate(rowsTotal);
    const table = variants.map((v, i) => {
      const c = checks[i];
      if (c.rows !== rowsTotal || c.journalMode !== 'wal' || c.synchronous !== 2) {
        throw new Error(`${v.name}: expected ${rowsTotal} rows in WAL, synchronous=FULL(2); got ${JSON.stringify(c)}`);
      }
      return {
        driver: v.name,
        'rows/s': watches[i].rate(rowsTotal),
        'vs better-sqlite3': (watches[i].rate(rowsTotal) / baseRate).toFixed(2),
        s: watches[i].ms / 1000,
        'CPU µs/row': (watches[i].cpuMs * 1000) / rowsTotal,
      };
    });
    const avgData = dataBytes / rowsTotal;
    printTable(`driver: insert ${rowsTotal.toLocaleString('en-US')} rows (avg data ${avgData.toFixed(0)} B), ${BATCH}/transaction`, table);
    const sqlite3Version = await new Promise<string>((resolve, reject) => {
      const d = new sqlite3.Database(':memory:');
      d.get('select sqlite_version() AS v', (e: Error | null, r: { v: string }) => (e ? reject(e) : d.close(() => resolve(r.v))));
    });
    console.log(`SQLite: better-sqlite3 bundles ${info.sqliteVersion}, sqlite3 (node-sqlite3) bundles ${sqlite3Version}. Peak RSS ${peakRssMiB()} MiB.`);
    const file = writeResults('driver', {
      benchmark: 'driver',
      machine: { ...info, sqlite3Version },
      rows: rowsTotal,
      batchSize: BATCH,
      avgDataBytes: avgData,
      results: table,
      peakRssMiB: peakRssMiB(),
    });
    console.log(`results: ${file}`);
  } finally {
    for (const v of variants) await v.close().catch(() => undefined);
    cleanup();
  }
}
