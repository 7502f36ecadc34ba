import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { SystemClock } from '../src/common/clock';
import { EventStore } from '../src/events/event-store';
import { PostgresEventStore } from '../src/events/postgres/postgres-event-store';
import { SqliteEventStore } from '../src/events/sqlite/sqlite-event-store';
import { locationBatch } from './location-events';
import { freshDir, machine, printMachine, printTable, scaled, writeResults } from './measure';

/**
 * PostgreSQL (`npm run bench -- postgres`, DATABASE_URL required):
 * - append: 4 writer PROCESSES append batches of 1,000 events concurrently through
 *   PostgresEventStore, beside 4 writer processes doing a bare multi-row INSERT of the same
 *   serialized rows (one transaction per batch, the same server and durability), rounds
 *   alternating which goes first; the order is proven intact at the end;
 * - read: readAll and a catch-up subscription over the whole log, PostgreSQL beside SQLite (the
 *   same events appended to a SQLite log first, untimed), taking turns.
 */
const WRITERS = 4;
const BATCH = 1000;
const STREAMS = 100;
const ROUNDS = 4;
const EVENTS = 320_000;
const TARGET_RATE = 30_000;
const TARGET_RATIO = 0.5;

export async function postgresBench(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('the postgres benchmark needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const info = machine();
  const total = scaled(EVENTS, WRITERS * BATCH * ROUNDS);
  const schema = `gv_bench_${randomBytes(4).toString('hex')}`;
  console.log(`postgres: ${total.toLocaleString('en-US')} LocationsAdded events per variant, ${WRITERS} writer processes, ${BATCH} per append, ${ROUNDS} rounds, schema ${schema}`);
  printMachine(info);
  const store = await PostgresEventStore.open({ url, schema }, new SystemClock());
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const { dir, cleanup } = freshDir('postgres');
  try {
    await admin.query(bareTableSql(schema));
    const settings = (await admin.query(`SELECT current_setting('synchronous_commit') AS sc, current_setting('fsync') AS f, version() AS v`)).rows[0];
    console.log(`server: ${settings.v.split(',')[0]}; synchronous_commit=${settings.sc}, fsync=${settings.f}`);
    const wall = { store: 0, bare: 0 };
    const cpu = { store: 0, bare: 0 };
    const perRound = total / ROUNDS;
    for (let r = 0; r < ROUNDS; r++) {
      const modes = r % 2 === 0 ? (['store', 'bare'] as const) : (['bare', 'store'] as const);
      for (const mode of modes) {
        const run = await runWriters(mode, url, schema, r * perRound / BATCH, perRound / BATCH);
        wall[mode] += run.ms;
        cpu[mode] += run.cpuMs;
      }
    }
    await proveOrder(admin, store, schema, total);
    const storeRate = total / (wall.store / 1000);
    const bareRate = total / (wall.bare / 1000);
    const append = [
      { path: `PostgresEventStore.append, ${WRITERS} processes`, 'events/s': storeRate, 'vs bare': (storeRate / bareRate).toFixed(2), s: wall.store / 1000, 'client CPU µs/event': (cpu.store * 1000) / total },
      { path: `bare multi-row INSERT, ${WRITERS} processes`, 'events/s': bareRate, 'vs bare': '1.00', s: wall.bare / 1000, 'client CPU µs/event': (cpu.bare * 1000) / total },
    ];
    printTable(`append: ${total.toLocaleString('en-US')} events per variant`, append);
    const rateMet = storeRate >= TARGET_RATE;
    const ratioMet = storeRate / bareRate >= TARGET_RATIO;
    console.log(`target ≥ ${TARGET_RATE.toLocaleString('en-US')} events/s: ${rateMet ? 'MET' : 'MISSED'}; target ≥ ${TARGET_RATIO} of bare: ${ratioMet ? 'MET' : 'MISSED'}`);

    const sqlite = new SqliteEventStore(join(dir, 'events.sqlite'), new SystemClock());
    for (let b = 0; b < total / BATCH; b++) {
      const batch = locationBatch(b, BATCH, STREAMS);
      await sqlite.append(batch.stream, batch.events);
    }
    const reads = await readTurns(total, [['PostgreSQL', store], ['SQLite', sqlite]]);
    await sqlite.close();
    printTable(`read: ${total.toLocaleString('en-US')} events, whole log`, reads);
    const file = writeResults('postgres', { benchmark: 'postgres', machine: info, events: total, writers: WRITERS, batchSize: BATCH, append, reads, targets: { rate: TARGET_RATE, rateMet, ratio: TARGET_RATIO, ratioMet } });
    console.log(`results: ${file}`);
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    cleanup();
  }
}

/** The store's events table's columns and indexes, position from an identity instead of the lock. */
function bareTableSql(schema: string): string {
  return `CREATE TABLE ${schema}.bare_events (
    position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id text NOT NULL UNIQUE, stream text NOT NULL, revision integer NOT NULL,
    type text NOT NULL, schema_version integer NOT NULL, data text NOT NULL, metadata text NOT NULL, recorded_at bigint NOT NULL, hash text,
    epoch integer NOT NULL, transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), UNIQUE (stream, revision))`;
}

/** Starts WRITERS processes on batches [first, first + count) (writer w takes b ≡ w mod WRITERS), lets them go together, waits for all. */
async function runWriters(mode: 'store' | 'bare', url: string, schema: string, first: number, count: number): Promise<{ ms: number; cpuMs: number }> {
  const children: ChildProcess[] = [];
  const results: Array<Promise<{ ms: number; cpuMs: number }>> = [];
  const ready: Array<Promise<void>> = [];
  for (let w = 0; w < WRITERS; w++) {
    const indices = Array.from({ length: count }, (_, k) => first + k).filter((b) => b % WRITERS === w);
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'postgres-writer-process.ts'), mode, url, schema, indices.join(','), String(BATCH), String(STREAMS)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    let signalReady: () => void;
    ready.push(new Promise((resolve) => (signalReady = resolve)));
    results.push(
      new Promise((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('ready\n')) signalReady();
        });
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${mode} writer ${w} exited with ${code}`))));
      }),
    );
  }
  await Promise.all(ready);
  const start = performance.now();
  for (const child of children) child.stdin!.end('go\n');
  const done = await Promise.all(results);
  return { ms: performance.now() - start, cpuMs: done.reduce((sum, r) => sum + r.cpuMs, 0) };
}

/** Positions 1..total without a gap, each stream's revisions 0..n-1 in position order, the chain whole, ids growing with positions. */
async function proveOrder(admin: Client, store: PostgresEventStore, schema: string, total: number): Promise<void> {
  const q = async (sql: string) => Number((await admin.query(sql)).rows[0].n);
  const checks = {
    rows: await q(`SELECT count(*) AS n FROM ${schema}.events`),
    gaps: await q(`SELECT count(*) AS n FROM (SELECT position - lag(position) OVER (ORDER BY position) AS d FROM ${schema}.events) q WHERE d <> 1`),
    last: await q(`SELECT max(position) AS n FROM ${schema}.events`),
    revisionsOutOfOrder: await q(`SELECT count(*) AS n FROM (SELECT revision, row_number() OVER (PARTITION BY stream ORDER BY position) - 1 AS k FROM ${schema}.events) q WHERE revision <> k`),
    idsOutOfOrder: await q(`SELECT count(*) AS n FROM (SELECT (epoch, transaction_id) < lag((epoch, transaction_id)) OVER (ORDER BY position) AS back FROM ${schema}.events) q WHERE back`),
    bareRows: await q(`SELECT count(*) AS n FROM ${schema}.bare_events`),
  };
  const chain = await store.verifyChain();
  console.log(`order: ${JSON.stringify(checks)}, chain ${chain.ok ? 'ok' : 'BROKEN'} through ${chain.verifiedThrough}`);
  if (checks.rows !== total || checks.gaps !== 0 || checks.last !== total || checks.revisionsOutOfOrder !== 0 || checks.idsOutOfOrder !== 0 || checks.bareRows !== total || !chain.ok || chain.verifiedThrough !== total) {
    throw new Error('the order of the appended log is not intact');
  }
}

/** readAll and subscribe over the whole log on each store, taking turns twice; the better of two per store and path. */
async function readTurns(total: number, stores: Array<[string, EventStore]>): Promise<Array<Record<string, string | number>>> {
  const best = new Map<string, number>();
  const time = async (key: string, read: () => Promise<number>) => {
    const start = performance.now();
    const n = await read();
    if (n !== total) throw new Error(`${key} read ${n} events, expected ${total}`);
    const ms = performance.now() - start;
    best.set(key, Math.min(best.get(key) ?? Infinity, ms));
  };
  for (let turn = 0; turn < 2; turn++) {
    for (const [name, s] of turn === 0 ? stores : [...stores].reverse()) {
      await time(`${name}|readAll`, async () => {
        let n = 0;
        for await (const e of s.readAll()) if (e.position !== ++n) throw new Error(`${name} readAll: position ${e.position} at ${n}`);
        return n;
      });
      await time(`${name}|subscribe`, async () => {
        const controller = new AbortController();
        let n = 0;
        for await (const batch of s.subscribe(1, { signal: controller.signal })) {
          n += batch.length;
          if (n >= total) controller.abort();
        }
        return n;
      });
    }
  }
  return [...best].map(([key, ms]) => {
    const [name, path] = key.split('|');
    return { store: name, path, 'events/s': total / (ms / 1000), s: ms / 1000 };
  });
}
