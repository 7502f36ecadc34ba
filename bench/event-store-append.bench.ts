import { join } from 'node:path';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { SystemClock } from '../src/common/clock';
import { EVENTS_PRAGMAS, EVENTS_SCHEMA } from '../src/events/sqlite/events-schema.sql';
import { SqliteEventStore } from '../src/events/sqlite/sqlite-event-store';
import { EventTuple, LocationBatch, locationBatch, serializedRows } from './location-events';
import { freshDir, machine, peakRssMiB, printMachine, printTable, scaled, Stopwatch, writeResults } from './measure';

/**
 * Appends through the EventStore port (SqliteEventStore: zod validation, serialization, uuid v7
 * ids, revision and timestamp reads, BEGIN IMMEDIATE) beside bare prepared inserts of the same
 * serialized rows into the same schema with the same pragmas (the baseline of the target), and,
 * for reference, bare inserts that also do the work no store can skip: JSON.stringify of the data
 * and a uuidv7() per event, inside the transaction (the port minus validation and its own code).
 * They take turns batch by batch, the order rotating, each into its own file: the ratios are
 * measured under the same noise.
 */
const EVENTS = 1_000_000;
const BATCH = 1000;
const STREAMS = 100;
const TARGET_RATE = 150_000;
const TARGET_RATIO = 0.7;

const INSERT_SQL =
  'INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

export async function appendBench(): Promise<void> {
  const info = machine();
  const total = scaled(EVENTS, BATCH);
  const batches = total / BATCH;
  console.log(
    `append: ${total.toLocaleString('en-US')} LocationsAdded events, ${STREAMS} streams round-robin, ${BATCH} per append, ` +
      'port and baselines interleaved by batch',
  );
  printMachine(info);

  const { dir, cleanup } = freshDir('append');
  const portFile = join(dir, 'port.sqlite');
  const bareFile = join(dir, 'bare.sqlite');
  const store = new SqliteEventStore(portFile, new SystemClock());
  const bare = openBare(bareFile);
  const insertAll = bare.transaction((rows: EventTuple[]) => {
    for (const row of rows) bare.insert.run(...row);
  });
  const work = openBare(join(dir, 'bare-with-serialization.sqlite'));
  const serializeAndInsert = work.transaction((batch: LocationBatch, metadata: string, recordedAt: number) => {
    let revision = batch.firstRevision;
    for (const e of batch.events) work.insert.run(uuidv7(), batch.stream, revision++, e.type, 1, JSON.stringify(e.data), metadata, recordedAt);
  });

  const port = new Stopwatch();
  const baseline = new Stopwatch();
  const reference = new Stopwatch();
  let dataBytes = 0;
  let metadataBytes = 0;
  try {
    for (let b = 0; b < batches; b++) {
      const batch = locationBatch(b, BATCH, STREAMS);
      const rows = serializedRows(batch, Date.now());
      for (const row of rows) {
        dataBytes += row[5].length;
        metadataBytes += row[6].length;
      }
      const appendPort = async () => {
        const expected = batch.firstRevision === 0 ? 'no_stream' : batch.firstRevision - 1;
        await port.timeAsync(() => store.append(batch.stream, batch.events, expected));
      };
      const appendBare = async () => baseline.time(() => insertAll.immediate(rows));
      const appendReference = async () => reference.time(() => serializeAndInsert.immediate(batch, rows[0][6], Date.now()));
      const turns = [appendPort, appendBare, appendReference];
      for (let k = 0; k < turns.length; k++) await turns[(b + k) % turns.length]();
    }

    const head = await store.headPosition();
    const count = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    if (head !== total || count(bare) !== total || count(work) !== total) throw new Error(`expected ${total} events in each file`);
    // The port stored the very same payloads as the baseline (ids and timestamps aside).
    const sample = bare.prepare<[number], { data: string; metadata: string }>('SELECT data, metadata FROM events WHERE position = ?');
    const portDb = new Database(portFile, { readonly: true });
    const portSample = portDb.prepare<[number], { data: string; metadata: string }>('SELECT data, metadata FROM events WHERE position = ?');
    for (const p of [1, Math.ceil(total / 2), total]) {
      if (JSON.stringify(sample.get(p)) !== JSON.stringify(portSample.get(p))) throw new Error(`port and bare rows differ at position ${p}`);
    }
    portDb.close();

    const portRate = port.rate(total);
    const bareRate = baseline.rate(total);
    const referenceRate = reference.rate(total);
    const ratio = portRate / bareRate;
    const row = (path: string, watch: Stopwatch) => ({
      path,
      'events/s': watch.rate(total),
      'vs bare': (watch.rate(total) / bareRate).toFixed(2),
      'vs bare+serialize': (watch.rate(total) / referenceRate).toFixed(2),
      s: watch.ms / 1000,
      'CPU µs/event': (watch.cpuMs * 1000) / total,
    });
    const table = [
      row('EventStore.append (SqliteEventStore)', port),
      row('bare prepared INSERT, same serialized rows', baseline),
      row('bare INSERT + JSON.stringify + uuidv7 in tx', reference),
    ];
    const avgData = dataBytes / total;
    const avgMetadata = metadataBytes / total;
    printTable(`append: ${total.toLocaleString('en-US')} events, avg data ${avgData.toFixed(1)} B, avg metadata ${avgMetadata.toFixed(1)} B`, table);
    const rateMet = portRate >= TARGET_RATE;
    const ratioMet = ratio >= TARGET_RATIO;
    console.log(
      `target ≥ ${TARGET_RATE.toLocaleString('en-US')} events/s: ${rateMet ? 'MET' : 'MISSED'}; ` +
        `target ≥ ${TARGET_RATIO * 100}% of bare: ${ratioMet ? 'MET' : 'MISSED'} (${(ratio * 100).toFixed(0)}%)`,
    );
    const fileMiB = (f: string) => Math.round(statSync(f).size / 2 ** 20);
    console.log(`database files: port ${fileMiB(portFile)} MiB, bare ${fileMiB(bareFile)} MiB; peak RSS ${peakRssMiB()} MiB`);
    const file = writeResults('append', {
      benchmark: 'append',
      machine: info,
      events: total,
      batchSize: BATCH,
      streams: STREAMS,
      avgDataBytes: avgData,
      avgMetadataBytes: avgMetadata,
      results: table,
      ratio,
      ratioToBareWithSerialization: portRate / referenceRate,
      targets: { rate: TARGET_RATE, rateMet, ratio: TARGET_RATIO, ratioMet },
      peakRssMiB: peakRssMiB(),
    });
    console.log(`results: ${file}`);
  } finally {
    await store.close();
    bare.close();
    work.close();
    cleanup();
  }
}

/** A file with the store's schema and pragmas, and its INSERT. */
function openBare(file: string): Database.Database & { insert: Database.Statement<EventTuple> } {
  const db = new Database(file);
  for (const pragma of EVENTS_PRAGMAS) db.pragma(pragma);
  db.exec(EVENTS_SCHEMA);
  return Object.assign(db, { insert: db.prepare<EventTuple>(INSERT_SQL) });
}
