import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createDataset, importCsv, recordedAtOf, seconds, startQuietServer } from './e2e';
import { writeCsv } from './globe-csv';
import { freshDir, inMB, machine, median, mibOfMB, printMachine, printTable, Row, scaled, writeResults } from './measure';
import { appendSmallEvents, importedLocationIds, projectionLag, SmallEventsResult } from './pitr-events';
import { firstSampleWhere, JobTimeline, LogProbe, PhaseSpan, serverCommand, ServerProcess, usageBetween } from './server-process';

/**
 * Point-in-time restore over HTTP against a real server: 1,000,000 locations in the state, a
 * snapshot, then 200,000 small events since it. The state is built once:
 *
 * 1. through the API: the snapshot and compaction schedules turned off (PATCH /api/settings, so no
 *    snapshot lands among the 200,000 events on its own), a dataset, the 1,000,000-row CSV import,
 *    POST /api/snapshots until its job completes; the server stopped;
 * 2. in this process, through the app's own SqliteEventStore on the same `events.sqlite` (see
 *    pitr-events.ts for why and what): 200,000 small events;
 * 3. a server started again until the read models reach the head (read from the files), stopped.
 *
 * Then each variant runs on its own copy of that DATA_DIR, with a fresh server (an empty stateAt
 * cache): POST /api/restores/preview to the `recordedAt` of the middle small event (T), then
 * POST /api/restores with its token until the job completes. `snapshots`: as built; `no snapshots`:
 * the snapshot rows and files deleted first, so stateAt(T) replays the whole log. The variants
 * alternate from round to round (BENCH_ROUNDS, default 2).
 */
const LOCATIONS = scaled(1_000_000, 1000);
const SMALL_EVENTS = scaled(200_000, 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/**
 * How long each fresh server runs before the preview: 5 s lets it finish its start-up work (the
 * newest snapshot decompressed as its spare, ~1.5 s here), as a service that has been up a while
 * has; BENCH_PITR_SETTLE_MS=0 measures a preview sent the moment the server answers.
 */
const SETTLE_MS = Number(process.env.BENCH_PITR_SETTLE_MS ?? 5000);
const TARGET_PREVIEW_S = 3;
const TARGET_RESTORE_S = 10;
const TARGET_RSS_MB = 500;

type Variant = 'snapshots' | 'no snapshots';

interface Measurement {
  round: number;
  variant: Variant;
  previewMs: number;
  previewPeakMiB: number;
  previewUsage: ReturnType<typeof usageBetween>;
  restoreMs: number;
  restorePhases: (PhaseSpan & ReturnType<typeof usageBetween>)[];
  peakMiB: number;
  idleMiB: number;
  serverCpuSeconds: number;
  snapshotPosition: number;
  replayedEvents: number;
  position: number;
  counts: unknown;
  restoreResult: any;
  maxPollLatencyMs: number;
}

interface BuiltState {
  dataDir: string;
  /** The restore target: the `recordedAt` of the middle small event. */
  T: string;
  small: SmallEventsResult;
  build: { importSeconds: number; snapshotSeconds: number; snapshot: unknown; catchUpSeconds: number };
}

export async function pitrBench(): Promise<void> {
  const info = machine();
  printMachine(info);
  const { dir, cleanup } = freshDir('pitr');
  let server: ServerProcess | null = null;
  try {
    // BENCH_PITR_STATE=<dir>: keep the built state there and reuse it on the next run (for profiling).
    const keep = process.env.BENCH_PITR_STATE;
    let state: BuiltState;
    if (keep && existsSync(join(keep, 'state.json'))) {
      state = JSON.parse(readFileSync(join(keep, 'state.json'), 'utf8'));
      console.log(`reusing the state built in ${keep} (T = ${state.T})`);
    } else {
      state = await buildState(keep ?? dir);
      if (keep) writeFileSync(join(keep, 'state.json'), JSON.stringify(state));
    }
    const { dataDir, T, small } = state;

    const measurements: Measurement[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order: Variant[] = r % 2 === 0 ? ['snapshots', 'no snapshots'] : ['no snapshots', 'snapshots'];
      for (const variant of order) {
        const copy = join(dir, `round-${r + 1}-${variant.replace(' ', '-')}`);
        // A fresh copy of the built state for every measurement: each restore changes its log.
        cpSync(dataDir, copy, { recursive: true });
        if (variant === 'no snapshots') dropSnapshots(copy);
        try {
          server = await ServerProcess.start(copy);
          if (SETTLE_MS > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          const m = await measure(server, T, r + 1, variant);
          measurements.push(m);
          console.log(
            `round ${r + 1}, ${variant}: preview ${seconds(m.previewMs)} s (snapshot at ${m.snapshotPosition}, ${m.replayedEvents.toLocaleString('en-US')} events replayed), ` +
              `restore ${seconds(m.restoreMs)} s [${m.restorePhases.map((p) => `${p.phase} ${seconds(p.toMs - p.fromMs)}`).join(', ')}], peak RSS ${m.peakMiB} MiB`,
          );
          await server.stop();
          server = null;
        } finally {
          await (server as ServerProcess | null)?.kill();
          server = null;
          rmSync(copy, { recursive: true, force: true });
        }
      }
    }

    const table: Row[] = measurements.map((m) => ({
      round: m.round,
      variant: m.variant,
      'replayed events': m.replayedEvents,
      'preview s': seconds(m.previewMs),
      'restore s': seconds(m.restoreMs),
      'preview + restore s': seconds(m.previewMs + m.restoreMs),
      'restore phases s': m.restorePhases.map((p) => `${p.phase} ${seconds(p.toMs - p.fromMs)}`).join(', '),
      'server CPU s': Math.round(m.serverCpuSeconds * 10) / 10,
      'peak RSS MiB (preview / all)': `${m.previewPeakMiB} / ${m.peakMiB}`,
    }));
    printTable(
      `pitr: ${LOCATIONS.toLocaleString('en-US')} locations, ${SMALL_EVENTS.toLocaleString('en-US')} events since the snapshot, restore to T (the middle one)`,
      table,
    );
    const of = (v: Variant, f: (m: Measurement) => number) => median(measurements.filter((m) => m.variant === v).map(f));
    const summary = {
      previewSeconds: { snapshots: seconds(of('snapshots', (m) => m.previewMs)), noSnapshots: seconds(of('no snapshots', (m) => m.previewMs)) },
      restoreSeconds: { snapshots: seconds(of('snapshots', (m) => m.restoreMs)), noSnapshots: seconds(of('no snapshots', (m) => m.restoreMs)) },
      peakRssMiB: { snapshots: of('snapshots', (m) => m.peakMiB), noSnapshots: of('no snapshots', (m) => m.peakMiB) },
      previewSpeedup: median(pairs(measurements).map(([a, b]) => b.previewMs / a.previewMs)),
      totalSpeedup: median(pairs(measurements).map(([a, b]) => (b.previewMs + b.restoreMs) / (a.previewMs + a.restoreMs))),
    };
    const met = {
      preview: summary.previewSeconds.snapshots <= TARGET_PREVIEW_S,
      restore: summary.restoreSeconds.snapshots <= TARGET_RESTORE_S,
      rss: summary.peakRssMiB.snapshots <= mibOfMB(TARGET_RSS_MB),
    };
    const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    console.log(
      `with snapshots (median): preview ${summary.previewSeconds.snapshots} s, restore ${summary.restoreSeconds.snapshots} s, peak RSS ${summary.peakRssMiB.snapshots} MiB; ` +
        `without: preview ${summary.previewSeconds.noSnapshots} s, restore ${summary.restoreSeconds.noSnapshots} s, peak RSS ${summary.peakRssMiB.noSnapshots} MiB; ` +
        `snapshots make the preview ${summary.previewSpeedup.toFixed(1)}× and preview + restore ${summary.totalSpeedup.toFixed(1)}× faster (same round)`,
    );
    console.log(
      `targets: preview ≤ ${TARGET_PREVIEW_S} s ${verdict(met.preview)}; restore ≤ ${TARGET_RESTORE_S} s ${verdict(met.restore)}; ` +
        `RSS ≤ ${TARGET_RSS_MB} MB ${verdict(met.rss)} (${inMB(summary.peakRssMiB.snapshots)})`,
    );
    const out = writeResults('pitr', {
      benchmark: 'pitr',
      machine: info,
      server: serverCommand(),
      locations: LOCATIONS,
      smallEvents: small,
      build: { ...state.build, target: T },
      measurements,
      results: table,
      summary,
      targets: { previewSeconds: TARGET_PREVIEW_S, restoreSeconds: TARGET_RESTORE_S, rssMB: TARGET_RSS_MB, met },
    });
    console.log(`results: ${out}`);
  } finally {
    await (server as ServerProcess | null)?.kill();
    cleanup();
  }
}

/** Steps 1–3 of the header: the state to restore from, in `<dir>/data`. */
async function buildState(dir: string): Promise<BuiltState> {
  mkdirSync(dir, { recursive: true });
  let server: ServerProcess | null = null;
  try {
    // 1. Through the API: the import and a snapshot.
    const csvPath = join(dir, 'locations.csv');
    await writeCsv(csvPath, LOCATIONS);
    const dataDir = join(dir, 'data');
    server = await startQuietServer(dataDir);
    const datasetId = await createDataset(server, 'bench pitr');
    const imported = await importCsv(server, datasetId, csvPath);
    rmSync(csvPath);
    const snapStart = performance.now();
    const { jobId: snapJob } = await server.call<{ jobId: string }>('POST', '/api/snapshots', undefined, 202);
    const snapshot = (await server.waitForJob(snapJob, snapStart)).final.result;
    const snapshotMs = performance.now() - snapStart;
    console.log(
      `built: ${LOCATIONS.toLocaleString('en-US')} locations imported in ${seconds(imported.totalMs)} s; ` +
        `snapshot at position ${snapshot.position} in ${seconds(snapshotMs)} s (${(snapshot.bytes / 2 ** 20).toFixed(1)} MiB gzip)`,
    );
    await server.stop();
    server = null;

    // 2. In-process: the small events, through the app's SqliteEventStore.
    const ids = importedLocationIds(dataDir, datasetId);
    const small = await appendSmallEvents(dataDir, datasetId, ids, SMALL_EVENTS);
    console.log(
      `built: ${small.events.toLocaleString('en-US')} small events in ${small.appends.toLocaleString('en-US')} appends, ` +
        `${seconds(small.ms)} s (${JSON.stringify(small.counts)}); positions ${small.firstPosition}–${small.lastPosition}`,
    );

    // 3. The read models caught up with them, by a server.
    const catchUpStart = performance.now();
    server = await ServerProcess.start(dataDir);
    for (;;) {
      const { checkpoint, head } = projectionLag(dataDir);
      if (checkpoint >= head) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const catchUpMs = performance.now() - catchUpStart;
    const T = await recordedAtOf(server, small.middlePosition);
    const snapshots = await server.call<{ items: { position: number }[] }>('GET', '/api/snapshots', undefined, 200);
    if (snapshots.items.length !== 1) throw new Error(`expected exactly one snapshot, found ${snapshots.items.length}`);
    console.log(`built: a server started and its projector caught up with the small events in ${seconds(catchUpMs)} s; T = ${T} (position ${small.middlePosition})`);
    await server.stop();
    server = null;
    return {
      dataDir,
      T,
      small,
      build: { importSeconds: seconds(imported.totalMs), snapshotSeconds: seconds(snapshotMs), snapshot, catchUpSeconds: seconds(catchUpMs) },
    };
  } finally {
    await (server as ServerProcess | null)?.kill();
  }
}

/** Preview then restore to T on a freshly started server; the peak RSS counter restarts first. */
async function measure(server: ServerProcess, T: string, round: number, variant: Variant): Promise<Measurement> {
  const idleMiB = server.memory().rssMiB;
  server.resetPeak();
  const cpu = server.cpuSeconds();
  const probe = new LogProbe(server.dataDir);
  server.profileStart();
  const previewStart = performance.now();
  const stopSampling = server.sample(previewStart, 100, () => probe.read());
  const preview = await server.call<any>('POST', '/api/restores/preview', { target: { at: T } }, 200);
  const previewMs = performance.now() - previewStart;
  const previewPeakMiB = server.memory().peakMiB;
  const startEpoch = Date.now();
  const restoreStart = performance.now();
  const { jobId } = await server.call<{ jobId: string }>('POST', '/api/restores', { previewToken: preview.previewToken }, 202);
  const timeline = await server.waitForJob(jobId, restoreStart);
  const samples = stopSampling();
  probe.close();
  const profile = await server.profileStop(`pitr-${round}-${variant.replace(' ', '-')}`);
  if (profile) console.log(`server CPU profile: ${profile}`);
  const result = timeline.final.result;
  if (JSON.stringify(result.counts) !== JSON.stringify(preview.counts)) {
    throw new Error(`the restore did ${JSON.stringify(result.counts)}, its preview said ${JSON.stringify(preview.counts)}`);
  }
  // Phase boundaries the polls cannot see (the event loop is blocked through them): the append's
  // start from the timestamp the log gave its first event, its end from the head reaching its last.
  const offset = restoreStart - previewStart;
  const writingStartMs = Date.parse(await recordedAtOf(server, result.firstPosition)) - startEpoch;
  const writingEndMs = (firstSampleWhere(samples, (x) => (x.head ?? 0) >= result.lastPosition) ?? offset + timeline.totalMs) - offset;
  const restorePhases = restoreSpans(timeline, writingStartMs, writingEndMs).map((p) => ({
    ...p,
    ...usageBetween(samples, p.fromMs + offset, p.toMs + offset),
  }));
  return {
    round,
    variant,
    previewMs,
    previewPeakMiB,
    previewUsage: usageBetween(samples, 0, previewMs),
    restoreMs: timeline.totalMs,
    restorePhases,
    peakMiB: server.memory().peakMiB,
    idleMiB,
    serverCpuSeconds: server.cpuSeconds() - cpu,
    snapshotPosition: preview.snapshotPosition,
    replayedEvents: preview.replayedEvents,
    position: preview.position,
    counts: preview.counts,
    restoreResult: result,
    maxPollLatencyMs: Math.max(...timeline.polls.map((p) => p.receivedMs - p.sentMs)),
  };
}

/**
 * The restore's phases: those the polls saw before the append (snapshot, computing), cut at its
 * known start; then writing and projecting from the known boundaries. (The polls may also see
 * `writing` before the append blocks the loop, which the generic known-start splice mislabels.)
 */
function restoreSpans(timeline: JobTimeline, writingStartMs: number, writingEndMs: number): PhaseSpan[] {
  const seen = timeline
    .phases()
    .filter((p) => p.phase !== 'writing' && p.phase !== 'projecting' && p.fromMs < writingStartMs)
    .map((p) => ({ ...p, toMs: Math.min(p.toMs, writingStartMs) }));
  const span = (phase: string, fromMs: number, toMs: number): PhaseSpan => {
    const polls = timeline.polls.filter((p) => p.sentMs >= fromMs && p.sentMs < toMs);
    return {
      phase,
      fromMs,
      toMs,
      maxPollLatencyMs: Math.max(0, ...polls.map((p) => p.receivedMs - p.sentMs)),
      maxRssMiB: Math.max(0, ...polls.map((p) => p.rssMiB)),
    };
  };
  // No poll answered before the append (the snapshot's copy and the append blocked the loop throughout): one span for both.
  const before = seen.length > 0 ? seen : [span('snapshot + computing', 0, writingStartMs)];
  return [...before, span('writing', writingStartMs, writingEndMs), span('projecting', writingEndMs, timeline.totalMs)];
}

/** Deletes every snapshot (its record and its file) from a stopped server's DATA_DIR. */
function dropSnapshots(dataDir: string): void {
  const db = new Database(join(dataDir, 'read-models.sqlite'));
  try {
    db.prepare('DELETE FROM snapshots').run();
  } finally {
    db.close();
  }
  const snapshotsDir = join(dataDir, 'snapshots');
  for (const name of readdirSync(snapshotsDir)) rmSync(join(snapshotsDir, name), { force: true });
  mkdirSync(snapshotsDir, { recursive: true });
}

/** Same-round pairs: [snapshots, no snapshots]. */
function pairs(ms: Measurement[]): [Measurement, Measurement][] {
  const out: [Measurement, Measurement][] = [];
  for (const round of new Set(ms.map((m) => m.round))) {
    const a = ms.find((m) => m.round === round && m.variant === 'snapshots');
    const b = ms.find((m) => m.round === round && m.variant === 'no snapshots');
    if (a && b) out.push([a, b]);
  }
  return out;
}
