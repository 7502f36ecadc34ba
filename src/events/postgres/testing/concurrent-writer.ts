import { Client } from 'pg';
import { SystemClock } from '../../../common/clock';
import { NewEvent } from '../../event-store';
import { PostgresEventStore } from '../postgres-event-store';

/**
 * A writer PROCESS for postgres-event-store.processes.int-spec.ts:
 *   node -r @swc-node/register concurrent-writer.ts <url> <schema> <writer> <appends> <hold: none|append|horizon>
 * Appends `appends` batches of 1–40 LocationsAdded events to its own stream, each location id
 * `w<writer>-<n>` numbered in append order, with expected revisions. `append`: one of its appends
 * is 1,100 events whose iterator blocks this process 1.5 s after the first 1,000 are inserted (its
 * transaction open, holding the log's lock). `horizon`: meanwhile a second connection holds a
 * transaction with an id open for 1.5 s (holding every reader's horizon back) while appends go on.
 * Prints `{"writer":…, "events":…}` on success.
 */
const [url, schema, writerArg, appendsArg, hold] = process.argv.slice(2);
const writer = Number(writerArg);
const appends = Number(appendsArg);
const metadata = { actor: `writer-${writer}`, source: 'api' as const, correlationId: `w${writer}`, causationId: null };
let n = 0;
const event = (): NewEvent => ({ type: 'LocationsAdded', data: { datasetId: `w${writer}`, locations: [{ id: `w${writer}-${n++}`, name: 'p', latitude: 1, longitude: 2, properties: {}, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }] }, metadata }) as NewEvent;

function* heldBatch(): Generator<NewEvent> {
  for (let i = 0; i < 1100; i++) {
    if (i === 1000) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    yield event();
  }
}

async function holdHorizon(): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await client.query('COMMIT');
  await client.end();
}

async function main(): Promise<void> {
  const store = await PostgresEventStore.open({ url, schema }, new SystemClock());
  const stream = `dataset-w${writer}`;
  let expected: number | 'no_stream' = 'no_stream';
  let holding: Promise<void> = Promise.resolve();
  for (let a = 0; a < appends; a++) {
    if (a === Math.floor(appends / 3) && hold === 'horizon') holding = holdHorizon();
    const events = a === Math.floor(appends / 3) && hold === 'append' ? heldBatch() : Array.from({ length: 1 + ((a * 7 + writer * 13) % 40) }, event);
    expected = (await store.append(stream, events, expected)).nextExpectedRevision;
  }
  await holding;
  await store.close();
  process.stdout.write(JSON.stringify({ writer, events: n }) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
