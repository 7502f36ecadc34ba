import { S3Client } from '@aws-sdk/client-s3';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { archiveCaughtUp, LagSample, loadTargets, percentile, sampleArchiveLag, steadyWrites, WriteRun } from './cloud-load';
import { EventLag, eventLags, stepsBetween } from './cloud-lag';
import type { ArchiveSteps, StepTimes } from '../src/archive/archive-step-times';
import { appendSmallEvents, importedLocationIds } from './pitr-events';
import { bareClient, bareUpload, download, mirrorToFolder, putRequests, readRequests, uploadSpan, UploadSpan, writesByKind } from './cloud-s3';
import { createDataset, importCsv, seconds } from './e2e';
import { writeCsv } from './globe-csv';
import { report } from './cloud-report';
import { freshDir, machine, printMachine, scaled } from './measure';
import { S3Process } from './s3-process';
import { QUIET_SCHEDULES, ServerProcess } from './server-process';
import { S3Request } from '../test/support/s3-server';

/**
 * The service against a real S3 server (s3rver on 127.0.0.1, in its own process; bench/s3-process.ts
 * logs every request it answers), in one run:
 *
 * 1. The state: a server with BACKUP_STORAGE and ARCHIVE_STORAGE on the S3 server (archiving from the
 *    first event), 1,000,000 locations imported through POST /api/datasets/:id/import.
 * 2. Upload: POST /api/backups (gzip, the default), its upload's span as the S3 server saw it (first
 *    request to the last answer), beside bare lib-storage Uploads of the same bytes from this process
 *    (the service's 8 MiB × 2 parts, then lib-storage's defaults), each timed the same way.
 * 3. Idle: PUT requests at the S3 server over IDLE_MS with nothing written.
 * 4. Load: 1,000 PATCH /api/locations/:id per second (open loop; spread over LOAD_DATASETS small
 *    datasets, BENCH_CLOUD_DATASETS, default 16, see loadTargets) for LOAD_MS while GET
 *    /api/backups/health is read every 250 ms: the archive's lag (seconds behind the head), p50 and p99;
 *    PUT requests at the S3 server per minute.
 * 5. More events, up to 200,000 after the import, appended to the log directly (bench/pitr-events.ts)
 *    with the server stopped; the server restarted and timed until the archive holds them all; then
 *    IDLE_MS more without writes (the merges that follow writes show here).
 * 6. Restores on fresh servers (empty DATA_DIR): from a local folder holding a copy of every object,
 *    then from the S3 server; each: POST /api/restores/preview {target: {position: head}} and POST
 *    /api/restores until the job completes; the locations counted after.
 *
 * BENCH_SCALE scales the locations and events; the rate stays 1,000/s (BENCH_CLOUD_RATE sets another,
 * e.g. one the server can sustain); LOAD_MS and IDLE_MS scale down to 15 s and 20 s at least.
 * BENCH_CLOUD_STEPS=load stops after step 4 (the archive lag alone, with the per-event lag).
 */
const LOCATIONS = scaled(1_000_000, 1000);
const ARCHIVED_EVENTS = scaled(200_000, 1000);
/** Writes per second offered during the load (BENCH_CLOUD_RATE, default the issue's 1,000). */
const RATE = Number(process.env.BENCH_CLOUD_RATE ?? 1000);
const LOAD_MS = Math.max(15_000, scaled(60_000, 1000));
const IDLE_MS = Math.max(20_000, scaled(60_000, 1000));
const LAG_SAMPLE_MS = 250;
const LOAD_DATASETS = Number(process.env.BENCH_CLOUD_DATASETS ?? 16);
const LOAD_ONLY = process.env.BENCH_CLOUD_STEPS === 'load';
const BUCKET = 'gv-bench';
const PREFIX = 'cloud';
const SERVICE_PART = { size: 8 * 1024 * 1024, queue: 2 };

const uptime = () => execSync('uptime').toString().trim();

export async function cloudBench(): Promise<void> {
  const info = machine();
  printMachine(info);
  const loads: { at: string; uptime: string }[] = [{ at: 'start', uptime: uptime() }];
  const { dir, cleanup } = freshDir('cloud');
  const s3 = await S3Process.start(BUCKET);
  const client = bareClient(s3);
  const storage = `s3://${BUCKET}/${PREFIX}`;
  const cloudEnv = { ...s3.env(), BACKUP_STORAGE: storage, ARCHIVE_STORAGE: storage };
  let server: ServerProcess | null = null;
  try {
    // 1. The state.
    const sourceDir = join(dir, 'source');
    server = await ServerProcess.start(sourceDir, cloudEnv);
    await server.call('PATCH', '/api/settings', QUIET_SCHEDULES, 200);
    await server.call('PUT', '/api/backup-schedules', { drills: { enabled: false } }, 200);
    const csv = join(dir, 'locations.csv');
    await writeCsv(csv, LOCATIONS);
    const datasetId = await createDataset(server, 'bench cloud');
    const imported = await importCsv(server, datasetId, csv);
    const importCatchUpMs = await archiveCaughtUp(server, 600_000);
    console.log(`built: ${LOCATIONS.toLocaleString('en-US')} locations imported in ${seconds(imported.totalMs)} s; archive caught up ${seconds(importCatchUpMs)} s later`);

    // 2. Upload: the service's, then bare ones of the same bytes.
    const upload = LOAD_ONLY ? null : await measureUploads(server, s3, client, dir);
    loads.push({ at: 'after the uploads', uptime: uptime() });

    // 3. Idle.
    const idleBefore = LOAD_ONLY ? null : await idleWindow(s3);

    // 4. Load.
    const ids = await loadTargets(server, LOAD_DATASETS);
    const load = await measureLoad(server, s3, ids);
    loads.push({ at: 'after the load', uptime: uptime() });
    if (LOAD_ONLY) {
      await server.stop();
      server = null;
      const lag = eventLags(sourceDir, load.requests, load.positions.from, load.positions.to);
      printLoad(load, lag);
      for (const l of loads) console.log(`load (${l.at}): ${l.uptime}`);
      return;
    }

    // 5. Up to ARCHIVED_EVENTS after the import: appended by bench/pitr-events.ts with the server
    // stopped (200,000 single-event commands over HTTP would take most of an hour here), then the
    // server restarted and the archive caught up; then idle again.
    const expected = (await server.call<{ locationCount: number }>('GET', `/api/datasets/${encodeURIComponent(datasetId)}`, undefined, 200)).locationCount;
    await server.stop();
    server = null;
    const eventLag = eventLags(sourceDir, load.requests, load.positions.from, load.positions.to);
    printLoad(load, eventLag);
    const appended = await appendSmallEvents(sourceDir, datasetId, importedLocationIds(sourceDir, datasetId), Math.max(0, ARCHIVED_EVENTS - load.writes.ok));
    const catchUp = await measureCatchUp(sourceDir, cloudEnv, s3, appended.events);
    server = catchUp.server;
    const head = catchUp.head;
    const locationCount = (await server.call<{ locationCount: number }>('GET', `/api/datasets/${encodeURIComponent(datasetId)}`, undefined, 200)).locationCount;
    console.log(`${appended.events.toLocaleString('en-US')} events appended (${JSON.stringify(appended.counts)}); ${expected} → ${locationCount} locations; log head ${head}`);
    const idleAfter = await idleWindow(s3);
    await server.stop();
    server = null;

    // 6. Restores on fresh servers: from a local copy of every object, then from the S3 server.
    const local = join(dir, 'local-store');
    const mirrored = await mirrorToFolder(client, BUCKET, PREFIX, local);
    const localRestore = await restoreOnFreshServer(join(dir, 'fresh-local'), { BACKUP_STORAGE: `file:${local}`, ARCHIVE_STORAGE: `file:${local}` }, head, datasetId, locationCount, s3);
    loads.push({ at: 'after the local restore', uptime: uptime() });
    const cloudRestore = await restoreOnFreshServer(join(dir, 'fresh-cloud'), cloudEnv, head, datasetId, locationCount, s3);
    loads.push({ at: 'end', uptime: uptime() });

    const { requests: _requests, ...loadFigures } = load;
    void _requests;
    report({ info, loads, imported: { ms: imported.totalMs, catchUpMs: importCatchUpMs }, upload: upload!, idleBefore: idleBefore!, load: { ...loadFigures, eventLag }, appended, catchUp: { ms: catchUp.ms, startMs: catchUp.startMs, events: catchUp.events, puts: catchUp.puts, byKind: catchUp.byKind }, idleAfter, head, locationCount, mirrored, localRestore, cloudRestore });
  } finally {
    await server?.kill();
    client.destroy();
    await s3.close();
    cleanup();
  }
}

interface Uploads {
  backupId: string;
  jobMs: number;
  phases: { phase: string; s: number }[];
  service: UploadSpan;
  bare: (UploadSpan & { label: string; clientMs: number })[];
}

async function measureUploads(server: ServerProcess, s3: S3Process, client: S3Client, dir: string): Promise<Uploads> {
  const from = (await s3.requests()).length;
  const start = performance.now();
  server.profileStart();
  const { jobId, backupId } = await server.call<{ jobId: string; backupId: string }>('POST', '/api/backups', {}, 202);
  const timeline = await server.waitForJob(jobId, start);
  await server.profileStop('cloud-backup');
  const backup = await server.call<{ key: string; size: number }>('GET', `/api/backups/${backupId}`, undefined, 200);
  const service = uploadSpan(await s3.requests(from), backup.key, backup.size);
  const file = join(dir, 'backup.gvbk');
  await download(client, BUCKET, `${PREFIX}/${backup.key}`, file);
  const bare: Uploads['bare'] = [];
  const runs = [
    { label: 'bare, 8 MiB × 2 (as the service)', part: SERVICE_PART },
    { label: 'bare, lib-storage defaults (5 MiB × 4)', part: undefined },
    { label: 'bare, 8 MiB × 2 (as the service), again', part: SERVICE_PART },
  ];
  for (const [i, run] of runs.entries()) {
    const key = `bare/${i}-${backup.key}`;
    const mark = (await s3.requests()).length;
    const clientMs = await bareUpload(client, BUCKET, key, file, run.part?.size, run.part?.queue);
    bare.push({ label: run.label, clientMs, ...uploadSpan(await s3.requests(mark), key, backup.size) });
  }
  const phases = timeline.phases().map((p) => ({ phase: p.phase, s: seconds(p.toMs - p.fromMs) }));
  console.log(`backup ${backupId}: ${(backup.size / 1e6).toFixed(1)} MB, job ${seconds(timeline.totalMs)} s, upload ${seconds(service.ms)} s; bare ${bare.map((b) => seconds(b.ms)).join(' / ')} s`);
  return { backupId, jobMs: timeline.totalMs, phases, service, bare };
}

interface Idle {
  ms: number;
  puts: number;
  writes: Record<string, number>;
  reads: number;
}

async function idleWindow(s3: S3Process): Promise<Idle> {
  const from = (await s3.requests()).length;
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const seen = await s3.requests(from);
  console.log(`idle ${IDLE_MS / 1000} s: ${putRequests(seen)} PUT, writes ${JSON.stringify(writesByKind(seen))}, ${readRequests(seen)} reads`);
  return { ms: IDLE_MS, puts: putRequests(seen), writes: writesByKind(seen), reads: readRequests(seen) };
}

interface Load {
  /** Writes per second offered (the open loop's rate). */
  offered: number;
  writes: WriteRun;
  /** The log's head when the load began and when its last write was answered: the load's events. */
  positions: { from: number; to: number };
  /** The archiver's step times over the load's upload rounds (health's archive.steps before and after). */
  steps: { rounds: number; mean: StepTimes | null; max: StepTimes | null };
  /** Every request the S3 server answered from the load's start until the archive caught up after it. */
  requests: S3Request[];
  lag: LagSample[];
  puts: number;
  byKind: Record<string, number>;
  serverCpuSeconds: number;
  catchUpMs: number;
  /** The store's write requests during the load: ms after its start, ms taken, method and key. */
  timeline: { t: number; ms: number; what: string }[];
}

async function measureLoad(server: ServerProcess, s3: S3Process, ids: string[]): Promise<Load> {
  const from = (await s3.requests()).length;
  const cpu = server.cpuSeconds();
  const startEpoch = Date.now();
  const before = await archiveNow(server);
  server.profileStart();
  const stopLag = sampleArchiveLag(server, LAG_SAMPLE_MS);
  const writes = await steadyWrites(server, ids, RATE, LOAD_MS, 'load');
  const lag = await stopLag();
  await server.profileStop('cloud-load');
  const serverCpuSeconds = server.cpuSeconds() - cpu;
  const seen = await s3.requests(from);
  const after = await archiveNow(server);
  const catchUpMs = await archiveCaughtUp(server, 600_000);
  const requests = await s3.requests(from);
  const secs = lag.map((s) => s.seconds);
  console.log(
    `load: ${RATE}/s offered, ${writes.ok.toLocaleString('en-US')} writes answered in ${seconds(writes.ms)} s (${Math.round(writes.ok / (writes.ms / 1000))}/s, ${writes.failed} failed, ${writes.skipped} skipped, ` +
      `p50 ${Math.round(percentile(writes.latencies, 50))} ms, p99 ${Math.round(percentile(writes.latencies, 99))} ms, at most ${writes.queuedMax} in flight); ` +
      `archive lag p50 ${percentile(secs, 50).toFixed(2)} s, p99 ${percentile(secs, 99).toFixed(2)} s, max ${Math.max(...secs).toFixed(2)} s over ${lag.length} samples; ` +
      `${putRequests(seen)} PUT (${JSON.stringify(writesByKind(seen))}); server CPU ${serverCpuSeconds.toFixed(1)} s`,
  );
  const timeline = seen
    .filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
    .map((r) => ({ t: r.startMs - startEpoch, ms: r.endMs - r.startMs, what: `${r.method} ${decodeURIComponent(r.url.split('?')[0]).split('/').slice(-1)[0]}` }));
  const positions = { from: before.headPosition + 1, to: after.headPosition };
  const steps = stepsBetween(before.steps, after.steps);
  return { offered: RATE, writes, positions, steps, requests, lag, puts: putRequests(seen), byKind: writesByKind(seen), serverCpuSeconds, catchUpMs, timeline };
}

async function archiveNow(server: ServerProcess): Promise<{ headPosition: number; steps: ArchiveSteps }> {
  return (await server.call<{ archive: { headPosition: number; steps: ArchiveSteps } }>('GET', '/api/backups/health', undefined, 200)).archive;
}

/** The load's figures: offered and achieved rates, the lag per event at the store, and the archiver's steps. */
function printLoad(load: Load, lag: EventLag): void {
  const secs = load.writes.ms / 1000;
  const events = load.positions.to - load.positions.from + 1;
  console.log(
    `load: offered ${load.offered} writes/s, answered ${(load.writes.ok / secs).toFixed(1)}/s (${load.writes.skipped} not sent: a second's worth was waiting), ` +
      `${events} events in the log (${(events / secs).toFixed(1)}/s); lag per event (commit → S3 answered the PUT holding it), ${lag.events} events: ` +
      `p50 ${lag.p50.toFixed(2)} s, p90 ${lag.p90.toFixed(2)} s, p99 ${lag.p99.toFixed(2)} s, max ${lag.max.toFixed(2)} s, ${lag.missing} never acknowledged; segment PUTs every ${Math.round(lag.putEveryMs)} ms`,
  );
  console.log(`archiver rounds during the load: ${load.steps.rounds}; mean ms ${JSON.stringify(load.steps.mean)}; max ms since start ${JSON.stringify(load.steps.max)}`);
}

interface CatchUp {
  server: ServerProcess;
  head: number;
  /** From the restart to the archive holding the whole log (the server answers once its read models have caught up). */
  ms: number;
  startMs: number;
  events: number;
  puts: number;
  byKind: Record<string, number>;
}

/** The source server restarted on `dataDir` with `events` not yet archived: how long until the archive holds them all. */
async function measureCatchUp(dataDir: string, env: Record<string, string>, s3: S3Process, events: number): Promise<CatchUp> {
  const from = (await s3.requests()).length;
  const start = performance.now();
  const server = await ServerProcess.start(dataDir, env);
  const startMs = performance.now() - start;
  await archiveCaughtUp(server, 1_800_000);
  const ms = performance.now() - start;
  const head = (await server.call<{ archive: { headPosition: number } }>('GET', '/api/backups/health', undefined, 200)).archive.headPosition;
  const seen = await s3.requests(from);
  console.log(`archive catch-up after a restart with ${events} events pending: ${seconds(ms)} s (server ready after ${seconds(startMs)} s), ${Math.round(events / (ms / 1000))} events/s, ${putRequests(seen)} PUT`);
  return { server, head, ms, startMs, events, puts: putRequests(seen), byKind: writesByKind(seen) };
}

interface Restore {
  startMs: number;
  previewMs: number;
  restoreMs: number;
  totalMs: number;
  phases: { phase: string; s: number }[];
  serverCpuSeconds: number;
  peakMiB: number;
  s3Reads: number;
  s3Writes: Record<string, number>;
  preview: { replayedEvents?: number; archive?: { objects: unknown[]; bytes: number } };
}

async function restoreOnFreshServer(dataDir: string, env: Record<string, string>, head: number, datasetId: string, locationCount: number, s3: S3Process): Promise<Restore> {
  const started = performance.now();
  const server = await ServerProcess.start(dataDir, { ...s3.env(), ...env });
  try {
    const startMs = performance.now() - started;
    const from = (await s3.requests()).length;
    const cpu = server.cpuSeconds();
    server.resetPeak();
    server.profileStart();
    const start = performance.now();
    const preview = await server.call<Restore['preview'] & { previewToken: string }>('POST', '/api/restores/preview', { target: { position: head }, scope: {} }, 200);
    const previewMs = performance.now() - start;
    const { jobId } = await server.call<{ jobId: string }>('POST', '/api/restores', { previewToken: preview.previewToken }, 202);
    const timeline = await server.waitForJob(jobId, start);
    const totalMs = performance.now() - start;
    await server.profileStop(`cloud-restore-${env.BACKUP_STORAGE.split(':')[0]}`);
    const serverCpuSeconds = server.cpuSeconds() - cpu;
    const ds = await server.call<{ locationCount: number }>('GET', `/api/datasets/${encodeURIComponent(datasetId)}`, undefined, 200);
    if (ds.locationCount !== locationCount) throw new Error(`restored ${ds.locationCount} locations, the source had ${locationCount}`);
    const seen = await s3.requests(from);
    const phases = timeline.phases().map((p) => ({ phase: p.phase, s: seconds(p.toMs - p.fromMs) }));
    const run: Restore = {
      startMs,
      previewMs,
      restoreMs: totalMs - previewMs,
      totalMs,
      phases,
      serverCpuSeconds,
      peakMiB: server.memory().peakMiB,
      s3Reads: readRequests(seen),
      s3Writes: writesByKind(seen),
      preview: { replayedEvents: preview.replayedEvents, archive: preview.archive },
    };
    console.log(
      `restore from ${env.BACKUP_STORAGE}: preview ${seconds(previewMs)} s (${preview.replayedEvents} events replayed, ${preview.archive?.objects.length} objects, ` +
        `${((preview.archive?.bytes ?? 0) / 1e6).toFixed(1)} MB) + restore ${seconds(run.restoreMs)} s [${phases.map((p) => `${p.phase} ${p.s}`).join(', ')}] = ${seconds(totalMs)} s; ` +
        `server CPU ${serverCpuSeconds.toFixed(1)} s, peak ${run.peakMiB} MiB; S3 reads ${run.s3Reads}, writes ${JSON.stringify(run.s3Writes)}`,
    );
    return run;
  } finally {
    await server.stop();
  }
}
