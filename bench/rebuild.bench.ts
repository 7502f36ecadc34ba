import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bareLocationInserts, locationsSchema, ROWS_PER_TRANSACTION } from './bare-inserts';
import { createDataset, importCsv, seconds, startQuietServer } from './e2e';
import { writeCsv } from './globe-csv';
import { freshDir, machine, median, printMachine, printTable, Row, scaled, writeResults } from './measure';
import { serverCommand, ServerProcess } from './server-process';

/**
 * POST /api/projections/rebuild on the log of a 1,000,000-row import (built first, through the API,
 * by the same import as the `import` benchmark), timed until the job completes, beside bare inserts
 * of the same rows into a `locations` table of the live schema. Each round starts a fresh server on
 * the same DATA_DIR (so its peak RSS is the rebuild's) and runs the rebuild and the bare inserts one
 * after the other, the order alternating from round to round; the ratio is taken per round.
 */
const ROWS = scaled(1_000_000, 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Round {
  round: number;
  order: string;
  rebuildMs: number;
  /** ms until the first progress past position 0: emptying the read models (DELETE of every row) and the first slice. */
  firstProgressMs: number;
  maxPollLatencyMs: number;
  serverCpuSeconds: number;
  idleRssMiB: number;
  peakRssMiB: number;
  bareMs: number;
  bareCpuMs: number;
}

export async function rebuildBench(): Promise<void> {
  const info = machine();
  printMachine(info);
  const { dir, cleanup } = freshDir('rebuild');
  let server: ServerProcess | null = null;
  try {
    const csvPath = join(dir, 'locations.csv');
    await writeCsv(csvPath, ROWS);
    const dataDir = join(dir, 'data');
    const bareDir = join(dir, 'bare');
    mkdirSync(bareDir);
    server = await startQuietServer(dataDir);
    const datasetId = await createDataset(server, 'bench rebuild');
    const imported = await importCsv(server, datasetId, csvPath);
    const head = imported.result.lastPosition;
    console.log(
      `log built: ${ROWS.toLocaleString('en-US')} locations imported through the API in ${seconds(imported.totalMs)} s; ${head.toLocaleString('en-US')} events`,
    );
    await server.stop();
    server = null;
    const schema = locationsSchema(dataDir);
    const now = new Date().toISOString();

    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round: Partial<Round> = { round: r + 1, order: r % 2 === 0 ? 'bare, rebuild' : 'rebuild, bare' };
      const bare = () => {
        const w = bareLocationInserts(bareDir, schema, ROWS, datasetId, now);
        round.bareMs = w.ms;
        round.bareCpuMs = w.cpuMs;
      };
      const rebuild = async () => {
        server = await ServerProcess.start(dataDir);
        round.idleRssMiB = server.memory().rssMiB;
        server.resetPeak();
        const cpu = server.cpuSeconds();
        server.profileStart();
        const start = performance.now();
        const { jobId } = await server.call<{ jobId: string }>('POST', '/api/projections/rebuild', undefined, 202);
        const timeline = await server.waitForJob(jobId, start);
        const profile = await server.profileStop(`rebuild-${r + 1}`);
        if (profile) console.log(`server CPU profile: ${profile}`);
        round.rebuildMs = timeline.totalMs;
        round.firstProgressMs = timeline.polls.find((p) => p.done > 0)?.receivedMs ?? timeline.totalMs;
        round.maxPollLatencyMs = Math.max(...timeline.polls.map((p) => p.receivedMs - p.sentMs));
        round.serverCpuSeconds = server.cpuSeconds() - cpu;
        round.peakRssMiB = server.memory().peakMiB;
        if (timeline.final.result.position !== head) throw new Error(`rebuild reached ${timeline.final.result.position}, the head is ${head}`);
        const page = await server.call<{ items: unknown[] }>('GET', `/api/locations?datasetId=${datasetId}&limit=1`, undefined, 200);
        if (page.items.length !== 1) throw new Error('the rebuilt locations cannot be read');
        await server.stop();
        server = null;
      };
      if (r % 2 === 0) {
        bare();
        await rebuild();
      } else {
        await rebuild();
        bare();
      }
      rounds.push(round as Round);
      console.log(
        `round ${r + 1}: rebuild ${Math.round(ROWS / (round.rebuildMs! / 1000)).toLocaleString('en-US')} locations/s, ` +
          `bare ${Math.round(ROWS / (round.bareMs! / 1000)).toLocaleString('en-US')} locations/s`,
      );
    }

    const rate = (ms: number) => ROWS / (ms / 1000);
    const table: Row[] = rounds.flatMap((r): Row[] => [
      {
        round: r.round,
        path: 'POST /api/projections/rebuild → job completed',
        'locations/s': rate(r.rebuildMs),
        'events/s': head / (r.rebuildMs / 1000),
        'vs bare': (rate(r.rebuildMs) / rate(r.bareMs)).toFixed(2),
        s: seconds(r.rebuildMs),
        'CPU s': Math.round(r.serverCpuSeconds * 10) / 10,
        // Bare CPU time over the server's: the same ratio by CPU, which the machine's load moves far less than wall time.
        'vs bare, by CPU': (r.bareCpuMs / 1000 / r.serverCpuSeconds).toFixed(2),
        'peak RSS MiB': r.peakRssMiB,
      },
      {
        round: r.round,
        path: `bare INSERT into locations, ${ROWS_PER_TRANSACTION.toLocaleString('en-US')} rows/tx`,
        'locations/s': rate(r.bareMs),
        'vs bare': '1.00',
        s: seconds(r.bareMs),
        'CPU s': seconds(r.bareCpuMs),
        'vs bare, by CPU': '1.00',
      },
    ]);
    printTable(`rebuild: ${head.toLocaleString('en-US')} events, ${ROWS.toLocaleString('en-US')} locations, ${ROUNDS} rounds`, table);
    const ratios = rounds.map((r) => rate(r.rebuildMs) / rate(r.bareMs));
    const ratio = median(ratios);
    const summary = {
      rebuildLocationsPerSecond: median(rounds.map((r) => rate(r.rebuildMs))),
      bareLocationsPerSecond: median(rounds.map((r) => rate(r.bareMs))),
      ratio,
      ratios,
      cpuRatio: median(rounds.map((r) => r.bareCpuMs / 1000 / r.serverCpuSeconds)),
      firstProgressSeconds: rounds.map((r) => seconds(r.firstProgressMs)),
      maxPollLatencySeconds: rounds.map((r) => seconds(r.maxPollLatencyMs)),
      peakRssMiB: Math.max(...rounds.map((r) => r.peakRssMiB)),
      idleRssMiB: rounds.map((r) => r.idleRssMiB),
    };
    console.log(
      `median: rebuild ${Math.round(summary.rebuildLocationsPerSecond).toLocaleString('en-US')} locations/s, bare ${Math.round(summary.bareLocationsPerSecond).toLocaleString('en-US')}, ` +
        `ratio ${ratio.toFixed(2)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')}), by CPU ${summary.cpuRatio.toFixed(2)}; ` +
        `first progress after ${summary.firstProgressSeconds.join(', ')} s; longest poll answer ${summary.maxPollLatencySeconds.join(', ')} s; ` +
        `server peak RSS ${summary.peakRssMiB} MiB (idle ${summary.idleRssMiB.join(', ')} MiB)`,
    );
    const out = writeResults('rebuild', {
      benchmark: 'rebuild',
      machine: info,
      server: serverCommand(),
      rows: ROWS,
      events: head,
      importSeconds: seconds(imported.totalMs),
      rounds,
      results: table,
      summary,
      target: 'report the ratio (no numeric target)',
    });
    console.log(`results: ${out}`);
  } finally {
    await (server as ServerProcess | null)?.kill();
    cleanup();
  }
}
