import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { RecordedEvent } from '../src/events/event-store';
import { openPostgresDataSource, postgresDataSourceOptions } from '../src/projections/postgres/postgres-data-source';
import { PostgresLiveReadModels } from '../src/projections/postgres/postgres-live-read-models';
import { LocationTuple, locationTuples } from './globe-csv';
import { machine, median, printMachine, printTable, scaled } from './measure';

const ROWS = scaled(200_000, 20_000);
/** As the projector and an import cut them: 1,000 locations an event, 20,000 rows a transaction. */
const PER_EVENT = 1000;
const PER_TRANSACTION = 20_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * The projector's write path on PostgreSQL (PostgresLiveReadModels.apply: an import's
 * LocationsAdded events, one transaction per 20,000 rows with the checkpoint) beside the bare
 * limit: the same rows by plain multi-row `INSERT … VALUES (…), (…)` statements of 1,000 rows, the
 * same rows per transaction, into a table of the same schema. Rounds alternate the order; each
 * starts from empty tables. Needs DATABASE_URL.
 */
export async function pgReadModelsBench(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('pgread: skipped, DATABASE_URL is not set (this benchmark needs a PostgreSQL server)');
    return;
  }
  printMachine(machine());
  const schema = `gv_bench_${randomBytes(4).toString('hex')}`;
  const dataSource = await openPostgresDataSource(postgresDataSourceOptions({ url, schema }, []));
  const admin = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await admin.connect();
  try {
    const live = new PostgresLiveReadModels(dataSource);
    await admin.query('CREATE TABLE bare_locations (LIKE locations INCLUDING ALL)');
    const now = new Date().toISOString();
    const slices: RecordedEvent[][] = [];
    const tuples: LocationTuple[][] = [];
    let position = 0;
    for (let from = 0; from < ROWS; from += PER_TRANSACTION) {
      const rows = locationTuples(from, Math.min(ROWS, from + PER_TRANSACTION), 'd1', now);
      tuples.push(rows);
      const slice: RecordedEvent[] = [];
      for (let i = 0; i < rows.length; i += PER_EVENT) {
        const locations = rows.slice(i, i + PER_EVENT).map(([id, , name, latitude, longitude, , properties]) => ({ id, name, latitude, longitude, properties: JSON.parse(properties), created_at: now, updated_at: now }));
        slice.push({ type: 'LocationsAdded', data: { datasetId: 'd1', locations }, position: ++position } as unknown as RecordedEvent);
      }
      slices.push(slice);
    }
    const results: { round: number; applyMs: number; bareMs: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await live.reset();
      await admin.query('TRUNCATE bare_locations');
      const apply = async () => timed(async () => { for (const slice of slices) await live.apply(slice); });
      const bare = async () => timed(async () => { for (const rows of tuples) await bareInsert(admin, rows); });
      const [applyMs, bareMs] = round % 2 === 1 ? [await apply(), await bare()] : await bare().then(async (b) => [await apply(), b]);
      results.push({ round, applyMs, bareMs });
    }
    printTable(`PostgreSQL read models: ${ROWS.toLocaleString('en-US')} locations, apply vs bare multi-row INSERT`, results.map((r) => ({
      round: r.round,
      'apply rows/s': Math.round(ROWS / (r.applyMs / 1000)),
      'bare rows/s': Math.round(ROWS / (r.bareMs / 1000)),
      'apply / bare': (r.bareMs / r.applyMs).toFixed(2),
    })));
    console.log(`median apply/bare throughput ratio: ${median(results.map((r) => r.bareMs / r.applyMs)).toFixed(2)}`);
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    await dataSource.destroy();
  }
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** One transaction, statements of 1,000 rows of literal VALUES tuples (9 parameters a row). */
async function bareInsert(client: Client, rows: LocationTuple[]): Promise<void> {
  await client.query('BEGIN');
  for (let i = 0; i < rows.length; i += PER_EVENT) {
    const chunk = rows.slice(i, i + PER_EVENT);
    const values = chunk.map((_, r) => `(${Array.from({ length: 9 }, (_, c) => `$${r * 9 + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO bare_locations (id, dataset_id, name, latitude, longitude, quantity, properties, created_at, updated_at) VALUES ${values}`, chunk.flat());
  }
  await client.query('COMMIT');
}
