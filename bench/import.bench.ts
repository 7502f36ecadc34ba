import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bareEventInserts, bareLocationInserts, locationsSchema, ROWS_PER_TRANSACTION } from './bare-inserts';
import { createDataset, importCsv, seconds, startQuietServer } from './e2e';
import { writeCsv } from './globe-csv';
import { freshDir, inMB, machine, mibOfMB, printMachine, printTable, Row, scaled, Stopwatch, writeResults } from './measure';
import { serverCommand, ServerProcess, usageBetween } from './server-process';

/**
 * A 1,000,000-row CSV imported end to end through the HTTP API of a real server process: the file
 * streamed as the raw body, then the job polled every 200 ms until it completes (which is when the
 * read models hold every location). Beside it, in the same run, the physical limit: bare inserts of
 * the same rows into a `locations` table of the live schema, once before the import and once after
 * it (the server side cannot be interleaved batch by batch, so the baseline brackets it), and for
 * reference bare inserts of the import's events.
 */
const ROWS = scaled(1_000_000, 1000);
const TARGET_RATE = 80_000;
const TARGET_RSS_MB = 400;

export async function importBench(): Promise<void> {
  const info = machine();
  printMachine(info);
  const { dir, cleanup } = freshDir('import');
  let server: ServerProcess | null = null;
  try {
    const csvPath = join(dir, 'locations.csv');
    const csvBytes = await writeCsv(csvPath, ROWS);
    console.log(`CSV: ${ROWS.toLocaleString('en-US')} rows, ${(csvBytes / 2 ** 20).toFixed(1)} MiB (name,lat,lng,population,country,category)`);
    const bareDir = join(dir, 'bare');
    mkdirSync(bareDir);
    const dataDir = join(dir, 'data');
    server = await startQuietServer(dataDir);
    const datasetId = await createDataset(server, 'bench import');
    const schema = locationsSchema(dataDir);
    const now = new Date().toISOString();

    const bareBefore = bareLocationInserts(bareDir, schema, ROWS, datasetId, now);
    const eventsBefore = bareEventInserts(bareDir, ROWS, datasetId, now);
    console.log(`bare inserts before: ${Math.round(bareBefore.rate(ROWS)).toLocaleString('en-US')} locations/s`);

    const idle = server.memory();
    const peakReset = server.resetPeak();
    const cpuBefore = server.cpuSeconds();
    server.profileStart();
    const run = await importCsv(server, datasetId, csvPath);
    const profile = await server.profileStop('import');
    if (profile) console.log(`server CPU profile: ${profile}`);
    const cpu = server.cpuSeconds() - cpuBefore;
    const memory = server.memory();
    const sampledPeak = Math.max(...run.samples.map((p) => p.rssMiB));
    if (run.result.locationsWritten !== ROWS) throw new Error(`the import wrote ${run.result.locationsWritten} locations, expected ${ROWS}`);
    const phases = run.timeline.phases('uploading', { writing: run.writingStartMs, projecting: run.writingEndMs });
    const page = await server.call<{ items: unknown[] }>('GET', `/api/locations?datasetId=${datasetId}&limit=1`, undefined, 200);
    if (page.items.length !== 1) throw new Error('the imported locations cannot be read');
    await server.stop();
    server = null;

    const bareAfter = bareLocationInserts(bareDir, schema, ROWS, datasetId, now);
    const eventsAfter = bareEventInserts(bareDir, ROWS, datasetId, now);
    console.log(`bare inserts after: ${Math.round(bareAfter.rate(ROWS)).toLocaleString('en-US')} locations/s`);

    const bareRate = (bareBefore.rate(ROWS) + bareAfter.rate(ROWS)) / 2;
    const eventsRate = (eventsBefore.rate(ROWS) + eventsAfter.rate(ROWS)) / 2;
    const overall = ROWS / (run.totalMs / 1000);
    const phaseRows: Row[] = phases.map((p) => {
      const ms = p.toMs - p.fromMs;
      const usage = usageBetween(run.samples, p.fromMs, p.toMs);
      return {
        path: `  phase ${p.phase}`,
        'locations/s': ms > 0 ? ROWS / (ms / 1000) : '',
        'vs bare locations': ms > 0 ? (ROWS / (ms / 1000) / bareRate).toFixed(2) : '',
        s: seconds(ms),
        'CPU s': usage.cpuSeconds,
        'MiB written': usage.writeMiB,
        'max RSS MiB': usage.maxRssMiB,
        'longest poll s': seconds(p.maxPollLatencyMs),
      };
    });
    const bareRow = (name: string, w: Stopwatch, rate = w.rate(ROWS)) => ({
      path: name,
      'locations/s': rate,
      'vs bare locations': (rate / bareRate).toFixed(2),
      s: seconds(w.ms),
      'CPU s': seconds(w.cpuMs),
    });
    const table: Row[] = [
      {
        path: 'import end to end (upload → job completed)',
        'locations/s': overall,
        'vs bare locations': (overall / bareRate).toFixed(2),
        s: seconds(run.totalMs),
        'CPU s': Math.round(cpu * 10) / 10,
        // The bare inserts' CPU time over the server's: the ratio by CPU, which the machine's load moves far less.
        'vs bare, by CPU': ((bareBefore.cpuMs + bareAfter.cpuMs) / 2000 / cpu).toFixed(2),
        'MiB written': usageBetween(run.samples, 0, run.totalMs).writeMiB,
        'max RSS MiB': sampledPeak,
      },
      ...phaseRows,
      bareRow(`bare INSERT into locations, ${ROWS_PER_TRANSACTION.toLocaleString('en-US')} rows/tx, before the import`, bareBefore),
      bareRow('bare INSERT into locations, after the import', bareAfter),
      { path: 'bare INSERT into locations, mean', 'locations/s': bareRate, 'vs bare locations': '1.00' },
      bareRow('reference: bare INSERT of the events (1,000 locations each, one tx), mean', eventsBefore, eventsRate),
    ];
    printTable(`import: ${ROWS.toLocaleString('en-US')} CSV rows through POST /api/datasets/:id/import`, table);
    const rateMet = overall >= TARGET_RATE;
    const rssMet = memory.peakMiB <= mibOfMB(TARGET_RSS_MB);
    console.log(
      `server RSS: idle ${idle.rssMiB} MiB before the import, peak ${memory.peakMiB} MiB during it ` +
        `(${peakReset ? 'VmHWM reset before the import' : 'VmHWM since start: clear_refs not permitted'}; highest 200 ms sample ${sampledPeak} MiB); ` +
        `server CPU ${cpu.toFixed(1)} s over ${seconds(run.totalMs)} s`,
    );
    console.log(
      `targets: ≥ ${TARGET_RATE.toLocaleString('en-US')} locations/s ${rateMet ? 'MET' : 'MISSED'} (${Math.round(overall).toLocaleString('en-US')}); ` +
        `peak RSS ≤ ${TARGET_RSS_MB} MB ${rssMet ? 'MET' : 'MISSED'} (${inMB(memory.peakMiB)})`,
    );
    const out = writeResults('import', {
      benchmark: 'import',
      machine: info,
      server: serverCommand(),
      rows: ROWS,
      csvBytes,
      results: table,
      phases,
      polls: run.timeline.polls,
      samples: run.samples,
      job: run.timeline.final,
      serverCpuSeconds: cpu,
      serverRssMiB: { idleBefore: idle.rssMiB, peak: memory.peakMiB, peakResetBeforeImport: peakReset, highestSample: sampledPeak },
      targets: { rate: TARGET_RATE, rateMet, rssMB: TARGET_RSS_MB, rssMet },
    });
    console.log(`results: ${out}`);
  } finally {
    await server?.kill();
    cleanup();
  }
}
