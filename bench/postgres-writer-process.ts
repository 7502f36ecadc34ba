import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { SystemClock } from '../src/common/clock';
import { PostgresEventStore } from '../src/events/postgres/postgres-event-store';
import { EventTuple, LocationBatch, locationBatch, serializedRows } from './location-events';

/**
 * One writer process of the PostgreSQL append benchmark (postgres.bench.ts):
 *   node -r @swc-node/register bench/postgres-writer-process.ts <store|bare> <url> <schema> <batch indices, comma-separated> <batch size> <streams>
 * Builds its batches (and, for `bare`, their serialized rows) first, prints `ready`, waits for a
 * `go` line on stdin, appends them one transaction per batch, and prints `{"ms", "cpuMs"}`.
 * `store`: PostgresEventStore.append (validation, serialization, ids, the lock, the chain) with
 * expected revisions. `bare`: one multi-row INSERT of the same serialized rows per transaction into
 * a table of the same columns without the store's lock or chain, same durability (the server's
 * synchronous_commit, one COMMIT per batch).
 */
const [mode, url, schema, indices, batchArg, streamsArg] = process.argv.slice(2);
const batchSize = Number(batchArg);
const streams = Number(streamsArg);
const batches: LocationBatch[] = indices.split(',').map((b) => locationBatch(Number(b), batchSize, streams));
const BARE_COLUMNS = 10;

function bareInsertSql(rows: number): string {
  const values = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: BARE_COLUMNS }, (_, c) => `$${r * BARE_COLUMNS + c + 1}`).join(', ')})`);
  return `INSERT INTO ${schema}.bare_events (event_id, stream, revision, type, schema_version, data, metadata, recorded_at, hash, epoch) VALUES ${values.join(', ')}`;
}

async function runStore(): Promise<() => Promise<void>> {
  const store = await PostgresEventStore.open({ url, schema }, new SystemClock());
  return async () => {
    for (const batch of batches) await store.append(batch.stream, batch.events, batch.firstRevision === 0 ? 'no_stream' : batch.firstRevision - 1);
    await store.close();
  };
}

async function runBare(): Promise<() => Promise<void>> {
  const rows: EventTuple[][] = batches.map((batch) => serializedRows(batch, Date.now()));
  const client = new Client({ connectionString: url });
  await client.connect();
  const sql = bareInsertSql(batchSize);
  return async () => {
    for (const batch of rows) {
      await client.query('BEGIN');
      await client.query({ name: 'bare', text: sql, values: batch.flatMap((r) => [...r, null, 1]) });
      await client.query('COMMIT');
    }
    await client.end();
  };
}

async function main(): Promise<void> {
  const run = mode === 'store' ? await runStore() : await runBare();
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', () => {
      lines.close();
      resolve();
    });
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
