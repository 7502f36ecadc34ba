import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SystemClock } from '../src/common/clock';
import { EventRow, EVENT_COLUMNS } from '../src/events/sqlite/event-row';
import { SqliteEventStore } from '../src/events/sqlite/sqlite-event-store';
import { locationBatch } from './location-events';
import { freshDir, machine, peakRssMiB, printMachine, printTable, scaled, Stopwatch, writeResults } from './measure';

/**
 * Reads back a log written through the port (the `append` benchmark's events): the port's
 * `readAll`, the port's `subscribe(1)` until the head, and the baseline, a bare ordered scan with
 * `.iterate()` and JSON.parse of data and metadata (plus a bare paged `.all()` scan: the port's own
 * access pattern without the port). After one untimed warm-up scan (the file in the page cache),
 * every reader reads the whole log ROUNDS times; the readers take turns CHUNK events at a time, the
 * order rotating, so that the noise of a shared machine falls on all of them alike.
 */
const EVENTS = 1_000_000;
const BATCH = 1000;
const STREAMS = 100;
const ROUNDS = 3;
const CHUNK = 10_000;
const TARGET_RATIO = 0.7;

/** What each reader does with an event, so that no work is optimized away: the same for all. */
interface Sink {
  count: number;
  checksum: number;
}
const consume = (sink: Sink, position: number, data: unknown, metadata: unknown): void => {
  sink.count += 1;
  sink.checksum += position + (data as { locations: unknown[] }).locations.length + ((metadata as { causationId: unknown }).causationId === null ? 1 : 0);
};

/** Reads at least `n` more events (fewer at the end of the log); answers how many it read, 0 when done. */
type Cursor = (n: number) => Promise<number>;

export async function readBench(): Promise<void> {
  const info = machine();
  const total = scaled(EVENTS, BATCH);
  console.log(
    `read: ${total.toLocaleString('en-US')} events written through the port, read back ${ROUNDS} times by each reader, ` +
      `readers interleaved ${CHUNK.toLocaleString('en-US')} events at a time`,
  );
  printMachine(info);

  const { dir, cleanup } = freshDir('read');
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore(file, new SystemClock());
  // One connection per bare reader: an open .iterate() keeps its connection busy.
  const scanDb = new Database(file, { readonly: true });
  const pageDb = new Database(file, { readonly: true });
  try {
    const write = new Stopwatch();
    for (let b = 0; b < total / BATCH; b++) {
      const batch = locationBatch(b, BATCH, STREAMS);
      await write.timeAsync(() => store.append(batch.stream, batch.events));
    }
    console.log(`log written through the port in ${(write.ms / 1000).toFixed(1)} s`);
    const head = await store.headPosition();
    if (head !== total) throw new Error(`expected head ${total}, got ${head}`);

    const scan = scanDb.prepare<[], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`);
    const page = pageDb.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?`);
    const readers: Record<string, (sink: Sink) => Cursor> = {
      'bare SELECT … ORDER BY position, .iterate() + JSON.parse': (sink) => {
        const rows = scan.iterate();
        return async (n) => {
          let k = 0;
          for (; k < n; k++) {
            const next = rows.next();
            if (next.done) break;
            const row = next.value;
            consume(sink, row.position, JSON.parse(row.data), JSON.parse(row.metadata));
          }
          return k;
        };
      },
      // Not the brief's baseline but a stronger one: pages of 1,000 with .all(), as the port reads.
      'bare paged SELECT … LIMIT 1000, .all() + JSON.parse': (sink) => {
        let from = 1;
        return async (n) => {
          let k = 0;
          while (k < n) {
            const rows = page.all(from, BATCH);
            for (const row of rows) consume(sink, row.position, JSON.parse(row.data), JSON.parse(row.metadata));
            k += rows.length;
            if (rows.length < BATCH) break;
            from = rows[rows.length - 1].position + 1;
          }
          return k;
        };
      },
      'EventStore.readAll()': (sink) => {
        const events = store.readAll()[Symbol.asyncIterator]();
        return async (n) => {
          let k = 0;
          for (; k < n; k++) {
            const next = await events.next();
            if (next.done) break;
            consume(sink, next.value.position, next.value.data, next.value.metadata);
          }
          return k;
        };
      },
      'EventStore.subscribe(1) until the head': (sink) => {
        const batches = store.subscribe(1)[Symbol.asyncIterator]();
        let done = false;
        return async (n) => {
          let k = 0;
          while (k < n && !done) {
            const next = await batches.next();
            if (next.done) break;
            for (const e of next.value) consume(sink, e.position, e.data, e.metadata);
            k += next.value.length;
            if (next.value[next.value.length - 1].position >= head) {
              done = true;
              await batches.return?.(undefined);
            }
          }
          return k;
        };
      },
    };
    const names = Object.keys(readers);

    // Warm-up: the file into the page cache, and the code paths compiled.
    const warm: Sink = { count: 0, checksum: 0 };
    const warmCursor = readers[names[0]](warm);
    while ((await warmCursor(total)) > 0);

    const watches = names.map(() => new Stopwatch());
    const checksums = new Set<number>();
    for (let round = 0; round < ROUNDS; round++) {
      const sinks = names.map((): Sink => ({ count: 0, checksum: 0 }));
      const cursors = names.map((name, i) => readers[name](sinks[i]));
      const active = new Set(names.map((_, i) => i));
      for (let turn = 0; active.size > 0; turn++) {
        for (let k = 0; k < names.length; k++) {
          const i = (turn + k) % names.length;
          if (!active.has(i)) continue;
          const read = await watches[i].timeAsync(() => cursors[i](CHUNK));
          if (read === 0) active.delete(i);
        }
      }
      sinks.forEach((sink, i) => {
        if (sink.count !== total) throw new Error(`${names[i]} read ${sink.count} events, expected ${total}`);
        checksums.add(sink.checksum);
      });
    }
    if (checksums.size !== 1) throw new Error(`the readers disagree: checksums ${[...checksums].join(', ')}`);

    const read = total * ROUNDS;
    const bareRate = watches[0].rate(read);
    const pagedRate = watches[1].rate(read);
    const table = names.map((name, i) => ({
      reader: name,
      'events/s': watches[i].rate(read),
      'vs bare (.iterate)': (watches[i].rate(read) / bareRate).toFixed(2),
      'vs bare paged': (watches[i].rate(read) / pagedRate).toFixed(2),
      s: watches[i].ms / 1000,
      'CPU µs/event': (watches[i].cpuMs * 1000) / read,
    }));
    printTable(`read: ${total.toLocaleString('en-US')} events × ${ROUNDS} rounds per reader`, table);
    const readAllRatio = watches[2].rate(read) / bareRate;
    const subscribeRatio = watches[3].rate(read) / bareRate;
    const verdict = (r: number) => `${r >= TARGET_RATIO ? 'MET' : 'MISSED'} (${(r * 100).toFixed(0)}%)`;
    console.log(
      `target ≥ ${TARGET_RATIO * 100}% of bare (.iterate): readAll ${verdict(readAllRatio)}, subscribe ${verdict(subscribeRatio)}; ` +
        `peak RSS ${peakRssMiB()} MiB`,
    );
    const out = writeResults('read', {
      benchmark: 'read',
      machine: info,
      events: total,
      rounds: ROUNDS,
      chunk: CHUNK,
      results: table,
      targets: {
        ratio: TARGET_RATIO,
        readAllRatio,
        readAllMet: readAllRatio >= TARGET_RATIO,
        subscribeRatio,
        subscribeMet: subscribeRatio >= TARGET_RATIO,
      },
      peakRssMiB: peakRssMiB(),
    });
    console.log(`results: ${out}`);
  } finally {
    scanDb.close();
    pageDb.close();
    await store.close();
    cleanup();
  }
}
