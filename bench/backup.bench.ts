import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bareStateDump, CodecRow, codecLimits, countGet, download, LimitRow, physicalLimits, readManifest, until } from './backup-files';
import { createDataset, importCsv, recordedAtOf, seconds, startQuietServer } from './e2e';
import { writeCsv } from './globe-csv';
import { freshDir, inMB, machine, mibOfMB, printMachine, printTable, Row, scaled, writeResults } from './measure';
import { JobTimeline, LogProbe, PhaseSpan, Sample, serverCommand, ServerProcess, usageBetween } from './server-process';

/**
 * Backup and restore of 1,000,000 locations over the HTTP API of a real server process, and in the
 * same run the physical limit (the same data copied by SQLite itself and by the file system):
 *
 * 1. The state, built once: a generated 1,000,000-row CSV (name, lat, lng and three extra columns)
 *    imported through POST /api/datasets/:id/import, as the import benchmark does, after turning off
 *    the snapshot/compaction schedules and the restore drills (so nothing starts on its own). Each
 *    run works on a copy of it (BENCH_BACKUP_STATE=<dir> keeps it for the next run).
 * 2. The plain JSON sizes: GET /api/export?format=backup-data | globe-project | csv, streamed and counted.
 * 3. The physical limit, before and after the backups: VACUUM INTO and the online backup API of the
 *    server's read-models.sqlite and events.sqlite from read-only connections of this process while
 *    the server idles, and a plain file copy.
 * 4. POST /api/backups for gzip (the default), brotli, none, gzip + passphrase, and gzip without the
 *    history; each job polled every 200 ms until completed (phases), the server's RSS, CPU and I/O
 *    sampled every 100 ms from outside, its peak RSS from VmHWM (reset before each operation). The
 *    job's two phases are split into its steps by the times of the files the server writes (see
 *    FileTimes): the assembled temp file (born, last written), the stored file (born as `.partial-`,
 *    last written).
 * 5. The codecs and JSON parsing alone on the uncompressed backup's NDJSON, and a bare dump of the
 *    locations (SELECT by id + JSON.stringify), in this process: what bounds the backup besides SQLite.
 * 6. Restore (a): the dataset deleted, then POST /api/restores/preview {target: {backupId} of the gzip
 *    backup, scope: {datasets: [id]}} and POST /api/restores until the job completes (the projection
 *    included).
 * 7. Restore (b): the gzip file downloaded, and on a FRESH server (empty DATA_DIR): POST
 *    /api/backups/upload (the file streamed from disk), preview (whole scope), restore: the history is
 *    adopted, then projected.
 *
 * BENCH_BACKUP_ONLY=<n> runs step 4 alone, with the first n variants (a quick A/B while working on
 * the writer); BENCH_BACKUP_RESTORES=1 runs the gzip backup and steps 6 and 7 alone. Neither reports
 * anything but the log lines.
 */
const LOCATIONS = scaled(1_000_000, 1000);
const TARGET_BACKUP_S = 10;
const TARGET_RESTORE_S = 20;
const TARGET_RSS_MB = 400;
const TARGET_GZIP_SHARE = 0.35;
const PASSPHRASE = 'bench-backup-passphrase';
const MB = 1e6;

interface Variant {
  label: string;
  body: { compression: 'gzip' | 'brotli' | 'none'; passphrase?: string; includeHistory?: boolean };
}

const VARIANTS: Variant[] = [
  { label: 'gzip (default)', body: { compression: 'gzip' } },
  { label: 'brotli', body: { compression: 'brotli' } },
  { label: 'none', body: { compression: 'none' } },
  { label: 'gzip + passphrase', body: { compression: 'gzip', passphrase: PASSPHRASE } },
  { label: 'gzip, state only (includeHistory: false)', body: { compression: 'gzip', includeHistory: false } },
];

type PartsSample = Sample & { anonMiB?: number; fileMiB?: number };

interface JobSeen {
  kind: string;
  createdAt: string;
  state: string;
}

interface BuiltState {
  dataDir: string;
  datasetId: string;
  csvBytes: number;
  importSeconds: number;
  importPeakRssMiB: number;
}


interface Op {
  label: string;
  ms: number;
  /** VmHWM after the operation, reset just before it: the highest RSS during it. */
  peakMiB: number;
  /** RSS just before and just after (what the operation left resident). */
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** The highest anonymous and file-backed RSS among the 100 ms samples. */
  maxAnonMiB: number;
  maxFileMiB: number;
  cpuSeconds: number;
  usage: ReturnType<typeof usageBetween>;
  phases: (PhaseSpan & { cpuSeconds: number; writeMiB: number; readMiB: number; maxRssMiB: number })[];
  profile: string | null;
}

interface BackupRun extends Op {
  variant: Variant;
  backupId: string;
  key: string;
  size: number;
  records: number;
  counts: Record<string, number>;
  rawBytes: number;
  payloadBytes: number;
  payloadOffset: number;
  job: unknown;
}

export async function main(): Promise<void> {
  const info = machine();
  printMachine(info);
  const { dir, cleanup } = freshDir('backup');
  let server: ServerProcess | null = null;
  try {
    // 1. The state: built once; BENCH_BACKUP_STATE=<dir> keeps it there and reuses it on the next run.
    const keep = process.env.BENCH_BACKUP_STATE;
    let state: BuiltState;
    if (keep && existsSync(join(keep, 'state.json'))) {
      state = JSON.parse(readFileSync(join(keep, 'state.json'), 'utf8'));
      console.log(`reusing the state built in ${keep}`);
    } else {
      state = await buildState(keep ?? join(dir, 'built'));
      if (keep) writeFileSync(join(keep, 'state.json'), JSON.stringify(state));
    }
    const dataDir = join(dir, 'data');
    cpSync(state.dataDir, dataDir, { recursive: true });
    const scratch = join(dir, 'scratch');
    mkdirSync(scratch);
    const fileSizes = sqliteFiles(dataDir);

    const runStart = new Date().toISOString();
    server = await ServerProcess.start(dataDir);
    const idle = server.memory();
    console.log(`server idle on ${LOCATIONS.toLocaleString('en-US')} locations: RSS ${idle.rssMiB} MiB; files ${JSON.stringify(fileSizes)}`);

    const only = Number(process.env.BENCH_BACKUP_ONLY ?? 0);
    if (only > 0) {
      for (const variant of VARIANTS.slice(0, only)) {
        logBackup(await measureBackup(server, variant));
        console.log(`  memory map (MiB): ${JSON.stringify(server.memoryMap())}`);
      }
      return;
    }
    if (process.env.BENCH_BACKUP_RESTORES === '1') {
      // The gzip backup, then restores (a) and (b) alone: a quick A/B while working on the restores.
      const gzip = await measureBackup(server, VARIANTS[0]);
      logBackup(gzip);
      await restoreDeletedDataset(server, state.datasetId, gzip.backupId);
      const gzipFile = join(dir, 'download.gvbk');
      await download(server, `/api/backups/${gzip.backupId}/download`, gzipFile);
      await server.stop();
      server = null;
      rmSync(dataDir, { recursive: true, force: true });
      await restoreOnFreshServer(join(dir, 'fresh'), gzipFile, state.datasetId, gzip);
      return;
    }

    // 2. Plain JSON (and CSV) sizes.
    const exports: (Op & { format: string; bytes: number })[] = [];
    for (const format of ['backup-data', 'globe-project', 'csv']) {
      const op = await measured(server, `export-${format}`, async () => countGet(server!, `/api/export?format=${format}`));
      exports.push({ ...op, format, bytes: op.value.bytes });
      console.log(`export ${format}: ${(op.value.bytes / MB).toFixed(1)} MB in ${seconds(op.ms)} s, peak RSS ${op.peakMiB} MiB`);
    }
    const plainJsonBytes = exports.find((e) => e.format === 'backup-data')!.bytes;

    // 3. The physical limit, before the backups.
    const limitsBefore = await physicalLimits(dataDir, scratch);
    console.log(`physical limit before: ${limitSummary(limitsBefore)}`);

    // 4. The backups.
    const backups: BackupRun[] = [];
    for (const variant of VARIANTS) {
      const run = await measureBackup(server, variant);
      backups.push(run);
      logBackup(run);
    }

    // 3'. The physical limit again, after them (the run's noise brackets the backups).
    const limitsAfter = await physicalLimits(dataDir, scratch);
    console.log(`physical limit after: ${limitSummary(limitsAfter)}`);

    // 5. The codecs, JSON parsing and a bare state dump alone, in this process.
    const none = backups.find((b) => b.variant.body.compression === 'none')!;
    const codecs = await codecLimits(join(dataDir, 'backups', none.key), none.payloadOffset);
    const dump = bareStateDump(dataDir);

    // 6. Restore (a): the dataset deleted, then restored from the gzip backup.
    const gzip = backups[0];
    const restoreA = await restoreDeletedDataset(server, state.datasetId, gzip.backupId);

    // 7. Restore (b): the gzip file downloaded, uploaded to a fresh server and restored whole.
    const gzipFile = join(dir, 'download.gvbk');
    const downloaded = await download(server, `/api/backups/${gzip.backupId}/download`, gzipFile);
    if (downloaded.bytes !== gzip.size) throw new Error(`downloaded ${downloaded.bytes} bytes, the backup has ${gzip.size}`);
    const jobsSeen = (await server.call<{ items: JobSeen[] }>('GET', '/api/jobs?limit=100', undefined, 200)).items.filter((j) => j.createdAt >= runStart);
    await server.stop();
    server = null;
    rmSync(dataDir, { recursive: true, force: true });
    const restoreB = await restoreOnFreshServer(join(dir, 'fresh'), gzipFile, state.datasetId, gzip);
    rmSync(gzipFile, { force: true });

    report({ info, state, fileSizes, idle, exports, plainJsonBytes, limitsBefore, limitsAfter, backups, codecs, dump, restoreA, restoreB, downloaded, jobsSeen: [...jobsSeen, ...restoreB.jobs] });
  } finally {
    await server?.kill();
    cleanup();
  }
}

function logBackup(run: BackupRun): void {
  console.log(
    `backup ${run.variant.label}: ${seconds(run.ms)} s, ${(run.size / MB).toFixed(1)} MB (${((100 * run.size) / run.rawBytes).toFixed(1)}% of ${(run.rawBytes / MB).toFixed(1)} MB NDJSON), ` +
      `${Math.round(run.records / (run.ms / 1000)).toLocaleString('en-US')} records/s, peak RSS ${run.peakMiB} MiB (RSS ${run.rssBeforeMiB} → ${run.rssAfterMiB}), server CPU ${run.cpuSeconds.toFixed(1)} s ` +
      `[${run.phases.map((p) => `${p.phase} ${seconds(p.toMs - p.fromMs)} (CPU ${p.cpuSeconds.toFixed(1)})`).join(', ')}]`,
  );
}

/** Step 1: the import through the API, the schedules and drills off first. */
async function buildState(dir: string): Promise<BuiltState> {
  mkdirSync(dir, { recursive: true });
  const csvPath = join(dir, 'locations.csv');
  const csvBytes = await writeCsv(csvPath, LOCATIONS);
  const dataDir = join(dir, 'data');
  const server = await startQuietServer(dataDir);
  try {
    await server.call('PUT', '/api/backup-schedules', { drills: { enabled: false } }, 200);
    const datasetId = await createDataset(server, 'bench backup');
    server.resetPeak();
    const imported = await importCsv(server, datasetId, csvPath);
    if (imported.result.locationsWritten !== LOCATIONS) throw new Error(`the import wrote ${imported.result.locationsWritten} locations, expected ${LOCATIONS}`);
    const importPeakRssMiB = server.memory().peakMiB;
    console.log(`built: ${LOCATIONS.toLocaleString('en-US')} locations imported in ${seconds(imported.totalMs)} s (${(csvBytes / MB).toFixed(1)} MB CSV)`);
    await server.stop();
    return { dataDir, datasetId, csvBytes, importSeconds: seconds(imported.totalMs), importPeakRssMiB };
  } finally {
    await server.kill();
    rmSync(csvPath, { force: true });
  }
}

/**
 * Runs `fn` against the server with its peak RSS reset before, its RSS/CPU/I/O sampled every 100 ms
 * (with `probe`), and its CPU profile taken when BENCH_PROFILE=1.
 */
async function measured<T>(
  server: ServerProcess,
  label: string,
  fn: (start: number) => Promise<T>,
  probe?: () => Partial<Sample>,
): Promise<Op & { value: T; samples: PartsSample[]; start: number; startEpoch: number }> {
  const rssBeforeMiB = server.memory().rssMiB;
  if (!server.resetPeak()) throw new Error('cannot reset the server peak RSS (/proc/<pid>/clear_refs): peaks would be since start');
  const cpuBefore = server.cpuSeconds();
  server.profileStart();
  const startEpoch = Date.now();
  const start = performance.now();
  const stop = server.sample(start, 100, probe ?? probeOf(server, []));
  const value = await fn(start);
  const ms = performance.now() - start;
  const samples = stop() as PartsSample[];
  const { peakMiB, rssMiB: rssAfterMiB } = server.memory();
  const profile = await server.profileStop(label);
  if (profile) console.log(`server CPU profile (${label}): ${profile}`);
  const cpuSeconds = Math.round((server.cpuSeconds() - cpuBefore) * 100) / 100;
  const maxAnonMiB = Math.max(0, ...samples.map((x) => x.anonMiB ?? 0));
  const maxFileMiB = Math.max(0, ...samples.map((x) => x.fileMiB ?? 0));
  return { label, ms, peakMiB, rssBeforeMiB, rssAfterMiB, maxAnonMiB, maxFileMiB, cpuSeconds, usage: usageBetween(samples, 0, ms), phases: [], profile, value, samples, start, startEpoch };
}

/**
 * Birth and last-modification times of the files matching `pattern` in `dir` (and not there when
 * it was created), read by stat at each sample while they exist. The times are the server's own
 * writes, so they date a step to the millisecond even when no sample or poll fell near it; a file
 * keeps its birth time through a rename (the storage's `.partial-` → key).
 */
class FileTimes {
  private readonly seen = new Map<string, { born: number; modified: number }>();
  private readonly before: Set<string>;

  constructor(
    private readonly dir: string,
    private readonly pattern: RegExp,
  ) {
    this.before = new Set(existsSync(dir) ? readdirSync(dir) : []);
  }

  sample(): void {
    if (!existsSync(this.dir)) return;
    for (const name of readdirSync(this.dir)) {
      if (this.before.has(name) || !this.pattern.test(name)) continue;
      try {
        const s = statSync(join(this.dir, name));
        this.seen.set(name, { born: s.birthtimeMs, modified: s.mtimeMs });
      } catch {
        // removed meanwhile
      }
    }
  }

  /** The first new file (by birth), its times in ms after `startEpoch`. */
  first(startEpoch: number): { name: string; bornMs: number; modifiedMs: number } | undefined {
    const all = [...this.seen].sort((a, b) => a[1].born - b[1].born);
    if (!all.length) return undefined;
    const [name, t] = all[0];
    return { name, bornMs: t.born - startEpoch, modifiedMs: t.modified - startEpoch };
  }
}

/**
 * A probe for `measured`: stats the watched files, reads the log's head and checkpoint when a
 * LogProbe is given, and splits the server's RSS into anonymous memory (heap, native buffers) and
 * file pages (SQLite's memory-mapped WAL index, the code) from /proc/<pid>/status.
 */
function probeOf(server: ServerProcess, files: FileTimes[], log?: LogProbe): () => Partial<Sample> {
  return () => {
    for (const f of files) f.sample();
    return { ...(log ? log.read() : {}), ...rssParts(server.pid) };
  };
}

function rssParts(pid: number): { anonMiB?: number; fileMiB?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { anonMiB: Math.round(kib('RssAnon') / 1024), fileMiB: Math.round((kib('RssFile') + kib('RssShmem')) / 1024) };
  } catch {
    return {};
  }
}

const firstAt = (samples: Sample[], pick: (s: Sample) => boolean) => samples.find(pick)?.t;

function withUsage(spans: PhaseSpan[], samples: Sample[]): Op['phases'] {
  return spans.map((p) => ({ ...p, ...usageBetween(samples, p.fromMs, p.toMs) }));
}

/**
 * Step 4: one backup, POST /api/backups until its job completed. Its steps, dated by the files it
 * writes: the records streamed into a temp payload (from the poll that first says `writing`), the
 * file assembled in tmp/ (born, last written), verified, copied into storage (born as `.partial-`,
 * last written), and the stored copy verified (until the job completed).
 */
async function measureBackup(server: ServerProcess, variant: Variant): Promise<BackupRun> {
  let backupId = '';
  const assembled = new FileTimes(join(server.dataDir, 'tmp'), /^backup-(?!payload-).*\.gvbk$/);
  const stored = new FileTimes(join(server.dataDir, 'backups'), /^[^.]/);
  const op = await measured(
    server,
    `backup-${variant.label.replace(/[^a-z0-9]+/gi, '-')}`,
    async (start) => {
      const res = await server.call<{ jobId: string; backupId: string }>('POST', '/api/backups', variant.body, 202);
      backupId = res.backupId;
      return server.waitForJob(res.jobId, start);
    },
    probeOf(server, [assembled, stored]),
  );
  const timeline: JobTimeline = op.value;
  const a = assembled.first(op.startEpoch);
  const st = stored.first(op.startEpoch);
  const writing = timeline.phases().find((p) => p.phase === 'writing');
  const phases = withUsage(
    marks(timeline.totalMs, [
      ['starting: wait for the projection, count', 0],
      ['writing: records → NDJSON → codec → temp payload', writing ? writing.fromMs : undefined],
      ['assembling: header + payload copied, fsync', a?.bornMs],
      ['verifying the assembled file', a?.modifiedMs],
      ['storing: copied into storage, fsync, rename', st?.bornMs],
      ['verifying the stored copy', st?.modifiedMs],
    ]),
    op.samples,
  );
  const list = await server.call<{ items: { id: string; size: number; key: string; counts: Record<string, number> }[] }>('GET', '/api/backups', undefined, 200);
  const view = list.items.find((b) => b.id === backupId);
  if (!view) throw new Error(`backup ${backupId} is not listed`);
  const { manifest, payloadOffset } = readManifest(join(server.dataDir, 'backups', view.key));
  const records = Object.values(view.counts).reduce((x, y) => x + y, 0);
  if (view.counts.locations !== LOCATIONS) throw new Error(`the backup holds ${view.counts.locations} locations, expected ${LOCATIONS}`);
  return {
    ...op,
    phases,
    variant,
    backupId,
    key: view.key,
    size: view.size,
    records,
    counts: view.counts,
    rawBytes: manifest.payload.rawBytes,
    payloadBytes: manifest.payload.bytes,
    payloadOffset,
    job: timeline.final,
  };
}

interface RestoreA {
  deleteMs: number;
  preview: Op & { counts: unknown };
  restore: Op & { result: unknown };
  locationCount: number;
}

/**
 * The restore job's phases from the polls, with the two the blocked event loop hides dated from the
 * log: `writing` (the one append) from the `recordedAt` of its first event, `projecting` from the
 * first sample that saw the append committed.
 */
async function restorePhases(server: ServerProcess, timeline: JobTimeline, samples: Sample[], startEpoch: number, extra: Record<string, number> = {}) {
  const result = timeline.final.result as { firstPosition: number; lastPosition: number };
  const known: Record<string, number> = { ...extra };
  known.writing = Date.parse(await recordedAtOf(server, result.firstPosition)) - startEpoch;
  const committed = firstAt(samples, (s) => (s.head ?? 0) >= result.lastPosition);
  if (committed !== undefined) known.projecting = committed;
  return withUsage(timeline.phases(undefined, known), samples);
}

/** Step 6: the dataset deleted, then restored from a backup of it, scoped to it. */
async function restoreDeletedDataset(server: ServerProcess, datasetId: string, backupId: string): Promise<RestoreA> {
  const log = new LogProbe(server.dataDir);
  try {
    const deleteStart = performance.now();
    await server.call('DELETE', `/api/datasets/${encodeURIComponent(datasetId)}`, undefined, 204);
    await until(() => {
      const { head, checkpoint } = log.read();
      return checkpoint >= head;
    }, 600_000, 'the deletion to be projected');
    const deleteMs = performance.now() - deleteStart;
    const gone = await server.json('GET', `/api/datasets/${encodeURIComponent(datasetId)}`);
    if (gone.status !== 404) throw new Error(`the deleted dataset answers ${gone.status}`);
    console.log(`restore (a): dataset deleted and projected in ${seconds(deleteMs)} s`);

    const preview = await measured(
      server,
      'restore-a-preview',
      () => server.call<any>('POST', '/api/restores/preview', { target: { backupId }, scope: { datasets: [datasetId] } }, 200),
      probeOf(server, [], log),
    );
    console.log(`restore (a): preview ${seconds(preview.ms)} s, counts ${JSON.stringify(preview.value.counts.locations)}, peak RSS ${preview.peakMiB} MiB`);
    const restore = await measured(
      server,
      'restore-a-restore',
      async (start) => {
        const res = await server.call<{ jobId: string }>('POST', '/api/restores', { previewToken: preview.value.previewToken }, 202);
        return server.waitForJob(res.jobId, start);
      },
      probeOf(server, [], log),
    );
    const phases = await restorePhases(server, restore.value, restore.samples, restore.startEpoch);
    const ds = await server.call<{ locationCount: number }>('GET', `/api/datasets/${encodeURIComponent(datasetId)}`, undefined, 200);
    if (ds.locationCount !== LOCATIONS) throw new Error(`restored ${ds.locationCount} locations, expected ${LOCATIONS}`);
    console.log(`restore (a): restore job ${seconds(restore.ms)} s [${phaseText(phases)}], peak RSS ${restore.peakMiB} MiB`);
    return {
      deleteMs,
      preview: { ...strip(preview), counts: preview.value.counts },
      restore: { ...strip(restore), phases, result: restore.value.final.result },
      locationCount: ds.locationCount,
    };
  } finally {
    log.close();
  }
}

interface RestoreB {
  idleMiB: number;
  upload: Op & { backupId: string };
  preview: Op & { counts: unknown };
  restore: Op & { result: unknown };
  locationCount: number;
  head: number;
  sourceHead: number;
  jobs: JobSeen[];
}

/** Step 7: a fresh server, the file uploaded, previewed and restored whole (the history adopted). */
async function restoreOnFreshServer(dataDir: string, file: string, datasetId: string, source: BackupRun): Promise<RestoreB> {
  const server = await ServerProcess.start(dataDir);
  const log = new LogProbe(dataDir);
  try {
    const idleMiB = server.memory().rssMiB;
    const staged = new FileTimes(join(dataDir, 'tmp'), /^upload-(?!native-)/);
    const stored = new FileTimes(join(dataDir, 'backups'), /^[^.]/);
    const upload = await measured(
      server,
      'restore-b-upload',
      async () => {
        const res = await server.upload(file, '/api/backups/upload', 'application/octet-stream');
        if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}\n${server.output()}`);
        return res.body as { id: string };
      },
      probeOf(server, [staged, stored]),
    );
    const sf = staged.first(upload.startEpoch);
    const st = stored.first(upload.startEpoch);
    upload.phases = withUsage(
      marks(upload.ms, [
        ['receiving: raw body staged to tmp/', 0],
        ['verifying the staged file', sf?.modifiedMs],
        ['storing: copied into storage, fsync, rename', st?.bornMs],
        ['verifying the stored copy', st?.modifiedMs],
      ]),
      upload.samples,
    );
    console.log(`restore (b): upload ${seconds(upload.ms)} s [${phaseText(upload.phases)}], peak RSS ${upload.peakMiB} MiB`);
    const backupId = upload.value.id;

    const preview = await measured(server, 'restore-b-preview', () => server.call<any>('POST', '/api/restores/preview', { target: { backupId } }, 200));
    console.log(`restore (b): preview ${seconds(preview.ms)} s (base ${preview.value.basePosition}), peak RSS ${preview.peakMiB} MiB`);
    const staging = new FileTimes(dataDir, /^events\.sqlite\.adopting-/);
    const restore = await measured(
      server,
      'restore-b-restore',
      async (start) => {
        const res = await server.call<{ jobId: string }>('POST', '/api/restores', { previewToken: preview.value.previewToken }, 202);
        return server.waitForJob(res.jobId, start);
      },
      probeOf(server, [staging], log),
    );
    // The adoption's steps: the history staged into a scratch log (its file born, last written), copied
    // into the log in one transaction (committed when a sample first sees a head), then projected.
    const sg = staging.first(restore.startEpoch);
    const adopted: Record<string, number> = {};
    if (sg) {
      adopted['adopting: history read, parsed, staged into a scratch log'] = sg.bornMs;
      adopted['adopting: staged events copied into the log (one transaction)'] = sg.modifiedMs;
    }
    const committed = firstAt(restore.samples, (s) => (s.head ?? 0) > 0);
    if (committed !== undefined) adopted['adopting: the adopted history projected'] = committed;
    const phases = await restorePhases(server, restore.value, restore.samples, restore.startEpoch, adopted);
    if (!restore.value.polls.some((p) => p.phase === 'adopting history')) throw new Error(`the restore did not adopt the history: ${phaseText(phases)}`);
    const ds = await server.call<{ locationCount: number }>('GET', `/api/datasets/${encodeURIComponent(datasetId)}`, undefined, 200);
    if (ds.locationCount !== LOCATIONS) throw new Error(`restored ${ds.locationCount} locations, expected ${LOCATIONS}`);
    const { head } = log.read();
    const jobs = (await server.call<{ items: JobSeen[] }>('GET', '/api/jobs?limit=100', undefined, 200)).items;
    console.log(
      `restore (b): restore job ${seconds(restore.ms)} s [${phaseText(phases)}], peak RSS ${restore.peakMiB} MiB; ` +
        `log head ${head} (the backup's ${source.counts.events} events adopted)`,
    );
    log.close();
    await server.stop();
    return {
      idleMiB,
      upload: { ...strip(upload), backupId },
      preview: { ...strip(preview), counts: preview.value.counts },
      restore: { ...strip(restore), phases, result: restore.value.final.result },
      locationCount: ds.locationCount,
      head,
      sourceHead: (source.job as { result?: { headPosition?: number } }).result?.headPosition ?? -1,
      jobs,
    };
  } finally {
    log.close();
    await server.kill();
  }
}

/** Consecutive spans from named marks (ms); a mark never seen (undefined) is left out. */
function marks(totalMs: number, points: [string, number | undefined][]): PhaseSpan[] {
  const seen = points.filter((p): p is [string, number] => p[1] !== undefined).sort((a, b) => a[1] - b[1]);
  return seen.map(([phase, fromMs], i) => ({ phase, fromMs, toMs: i + 1 < seen.length ? seen[i + 1][1] : totalMs, maxPollLatencyMs: 0, maxRssMiB: 0 }));
}

/** An Op without its bulky value and samples (for the results file). */
function strip<T extends Op>(op: T & { value?: unknown; samples?: unknown; start?: unknown }): Op {
  const { label, ms, peakMiB, rssBeforeMiB, rssAfterMiB, maxAnonMiB, maxFileMiB, cpuSeconds, usage, phases, profile } = op;
  return { label, ms, peakMiB, rssBeforeMiB, rssAfterMiB, maxAnonMiB, maxFileMiB, cpuSeconds, usage, phases, profile };
}

function sqliteFiles(dataDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(dataDir)) if (/\.sqlite(-wal)?$/.test(name)) out[name] = statSync(join(dataDir, name)).size;
  return out;
}

function limitSummary(rows: LimitRow[]): string {
  return rows.map((r) => `${r.what} ${r.file} ${seconds(r.ms)} s`).join('; ');
}

const mbps = (bytes: number, ms: number) => (ms > 0 ? bytes / MB / (ms / 1000) : 0);
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
/** Each phase's length, and the API's longest unanswered poll in it when that reached 0.5 s (the server's event loop held). */
const phaseText = (phases: PhaseSpan[]) =>
  phases.map((p) => `${p.phase} ${seconds(p.toMs - p.fromMs)}${p.maxPollLatencyMs >= 500 ? ` (API held ${seconds(p.maxPollLatencyMs)} s)` : ''}`).join(', ');

function report(r: {
  info: ReturnType<typeof machine>;
  state: BuiltState;
  fileSizes: Record<string, number>;
  idle: { rssMiB: number };
  exports: (Op & { format: string; bytes: number })[];
  plainJsonBytes: number;
  limitsBefore: LimitRow[];
  limitsAfter: LimitRow[];
  backups: BackupRun[];
  codecs: CodecRow[];
  dump: ReturnType<typeof bareStateDump>;
  restoreA: RestoreA;
  restoreB: RestoreB;
  downloaded: { bytes: number; ms: number };
  jobsSeen: JobSeen[];
}): void {
  const N = LOCATIONS.toLocaleString('en-US');
  const backupTable: Row[] = r.backups.map((b) => ({
    variant: b.variant.label,
    s: seconds(b.ms),
    records: b.records,
    'records/s': b.records / (b.ms / 1000),
    'NDJSON MB': b.rawBytes / MB,
    'NDJSON MB/s': mbps(b.rawBytes, b.ms),
    'file MB': b.size / MB,
    'file/NDJSON': pct(b.size, b.rawBytes),
    'file/plain JSON': pct(b.size, r.plainJsonBytes),
    'peak RSS MiB': b.peakMiB,
    'RSS before → after': `${b.rssBeforeMiB} → ${b.rssAfterMiB}`,
    'max anon/file MiB': `${b.maxAnonMiB}/${b.maxFileMiB}`,
    'CPU s': b.cpuSeconds,
    'MiB written': b.usage.writeMiB,
  }));
  printTable(`backup: ${N} locations, POST /api/backups → job completed (write, verify, store, verify stored)`, backupTable);
  printTable(
    'backup phases (s; CPU s; max RSS MiB)',
    r.backups.map((b) => ({ variant: b.variant.label, phases: b.phases.map((p) => `${p.phase} ${seconds(p.toMs - p.fromMs)} (${p.cpuSeconds}; ${p.maxRssMiB})`).join(' | ') })),
  );

  const limitRows = (rows: LimitRow[], when: string): Row[] =>
    rows.map((l) => ({ when, what: l.what, file: l.file, MB: l.bytes / MB, s: seconds(l.ms), 'MB/s': mbps(l.bytes, l.ms) }));
  printTable('physical limit (this process, read-only connections, the server idle)', [...limitRows(r.limitsBefore, 'before'), ...limitRows(r.limitsAfter, 'after')]);
  const limitMs = (what: string, files: string[]) => {
    const sum = (rows: LimitRow[]) => rows.filter((l) => l.what.startsWith(what) && files.includes(l.file)).reduce((s, l) => s + l.ms, 0);
    return (sum(r.limitsBefore) + sum(r.limitsAfter)) / 2;
  };
  const both = ['read-models.sqlite', 'events.sqlite'];
  const vacuumBoth = limitMs('VACUUM INTO', both);
  const vacuumState = limitMs('VACUUM INTO', ['read-models.sqlite']);
  const copyBoth = limitMs('plain file copy', both);
  const gzip = r.backups[0];
  const stateOnly = r.backups.find((b) => b.variant.body.includeHistory === false)!;
  const ratioTable: Row[] = [
    { backup: gzip.variant.label, 's': seconds(gzip.ms), 'limit': 'VACUUM INTO read-models + events', 'limit s': seconds(vacuumBoth), 'backup/limit': gzip.ms / vacuumBoth },
    { backup: gzip.variant.label, 's': seconds(gzip.ms), 'limit': 'file copy read-models + events', 'limit s': seconds(copyBoth), 'backup/limit': gzip.ms / copyBoth },
    { backup: stateOnly.variant.label, 's': seconds(stateOnly.ms), 'limit': 'VACUUM INTO read-models', 'limit s': seconds(vacuumState), 'backup/limit': stateOnly.ms / vacuumState },
  ];
  printTable('backup vs the physical limit (limit: mean of before and after)', ratioTable);

  printTable(
    'sizes: exports (GET /api/export, streamed) and backup files',
    [
      ...r.exports.map((e) => ({ file: `export ${e.format}`, MB: e.bytes / MB, 'vs plain JSON': pct(e.bytes, r.plainJsonBytes), s: seconds(e.ms), 'MB/s': mbps(e.bytes, e.ms), 'peak RSS MiB': e.peakMiB })),
      ...r.backups.map((b) => ({ file: `backup ${b.variant.label}`, MB: b.size / MB, 'vs plain JSON': pct(b.size, r.plainJsonBytes), s: seconds(b.ms), 'MB/s': mbps(b.size, b.ms), 'peak RSS MiB': b.peakMiB })),
    ],
  );

  printTable('limits of the pieces, in this process', [
    ...r.codecs.map((c) => ({ what: c.what, 'NDJSON MB': c.rawBytes / MB, 'out MB': c.outBytes / MB, s: seconds(c.ms), 'NDJSON MB/s': mbps(c.rawBytes, c.ms), 'CPU s': seconds(c.cpuMs) })),
    {
      what: `bare dump: SELECT locations ORDER BY id + JSON.stringify (${r.dump.records.toLocaleString('en-US')} rows)`,
      'NDJSON MB': r.dump.bytes / MB,
      s: seconds(r.dump.ms),
      'NDJSON MB/s': mbps(r.dump.bytes, r.dump.ms),
      'CPU s': seconds(r.dump.cpuMs),
    },
  ]);

  const a = r.restoreA;
  const b = r.restoreB;
  const rss = (op: Op) => ({
    'peak RSS MiB': op.peakMiB,
    'RSS before → after': `${op.rssBeforeMiB} → ${op.rssAfterMiB}`,
    'max anon/file MiB': `${op.maxAnonMiB}/${op.maxFileMiB}`,
    'CPU s': op.cpuSeconds,
  });
  const restoreTable: Row[] = [
    { step: '(a) DELETE the dataset, until projected (setup, not timed as restore)', s: seconds(a.deleteMs) },
    { step: '(a) preview {backupId, scope: the dataset}', s: seconds(a.preview.ms), 'locations/s': LOCATIONS / (a.preview.ms / 1000), ...rss(a.preview) },
    { step: '(a) restore job (→ completed, projection included)', s: seconds(a.restore.ms), 'locations/s': LOCATIONS / (a.restore.ms / 1000), ...rss(a.restore), phases: phaseText(a.restore.phases) },
    { step: '(a) preview + restore', s: seconds(a.preview.ms + a.restore.ms), 'locations/s': LOCATIONS / ((a.preview.ms + a.restore.ms) / 1000), 'peak RSS MiB': Math.max(a.preview.peakMiB, a.restore.peakMiB) },
    { step: '(b) download of the gzip file (GET …/download)', s: seconds(r.downloaded.ms), 'MB/s': mbps(r.downloaded.bytes, r.downloaded.ms) },
    { step: '(b) fresh server: upload (raw body streamed)', s: seconds(b.upload.ms), 'MB/s': mbps(r.downloaded.bytes, b.upload.ms), ...rss(b.upload), phases: phaseText(b.upload.phases) },
    { step: '(b) preview (whole)', s: seconds(b.preview.ms), 'locations/s': LOCATIONS / (b.preview.ms / 1000), ...rss(b.preview) },
    { step: '(b) restore job (history adopted, projected)', s: seconds(b.restore.ms), 'locations/s': LOCATIONS / (b.restore.ms / 1000), ...rss(b.restore), phases: phaseText(b.restore.phases) },
    {
      step: '(b) upload + preview + restore',
      s: seconds(b.upload.ms + b.preview.ms + b.restore.ms),
      'locations/s': LOCATIONS / ((b.upload.ms + b.preview.ms + b.restore.ms) / 1000),
      'peak RSS MiB': Math.max(b.upload.peakMiB, b.preview.peakMiB, b.restore.peakMiB),
    },
  ];
  printTable(`restore: ${N} locations from the gzip backup`, restoreTable);

  const backupPeak = Math.max(...r.backups.map((x) => x.peakMiB));
  const restorePeak = Math.max(a.preview.peakMiB, a.restore.peakMiB, b.upload.peakMiB, b.preview.peakMiB, b.restore.peakMiB);
  const met = {
    backup: gzip.ms / 1000 <= TARGET_BACKUP_S,
    restoreA: (a.preview.ms + a.restore.ms) / 1000 <= TARGET_RESTORE_S,
    restoreB: (b.upload.ms + b.preview.ms + b.restore.ms) / 1000 <= TARGET_RESTORE_S,
    rss: Math.max(backupPeak, restorePeak) <= mibOfMB(TARGET_RSS_MB),
    gzipShare: gzip.size / r.plainJsonBytes <= TARGET_GZIP_SHARE,
    gzipShareStateOnly: stateOnly.size / r.plainJsonBytes <= TARGET_GZIP_SHARE,
  };
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  console.log(
    `\ntargets: backup ≤ ${TARGET_BACKUP_S} s ${verdict(met.backup)} (gzip default ${seconds(gzip.ms)} s); ` +
      `restore ≤ ${TARGET_RESTORE_S} s: (a) ${verdict(met.restoreA)} (${seconds(a.preview.ms + a.restore.ms)} s), (b) ${verdict(met.restoreB)} (${seconds(b.upload.ms + b.preview.ms + b.restore.ms)} s); ` +
      `RSS ≤ ${TARGET_RSS_MB} MB ${verdict(met.rss)} (backups ${inMB(backupPeak)}, restores ${inMB(restorePeak)}); ` +
      `gzip ≤ ${TARGET_GZIP_SHARE * 100}% of plain JSON ${verdict(met.gzipShare)} (${pct(gzip.size, r.plainJsonBytes)}; state only ${pct(stateOnly.size, r.plainJsonBytes)} ${verdict(met.gzipShareStateOnly)})`,
  );
  const unexpected = r.jobsSeen.filter((j) => !['backup', 'restore'].includes(j.kind)).map((j) => ({ kind: j.kind, state: j.state, createdAt: j.createdAt }));
  if (unexpected.length) console.log(`WARNING: other jobs ran on the servers meanwhile: ${JSON.stringify(unexpected)}`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (at the start: ${r.info.loadAverage.join(' ')})`);

  const out = writeResults('backup', {
    benchmark: 'backup',
    machine: r.info,
    server: serverCommand(),
    locations: LOCATIONS,
    build: r.state,
    files: r.fileSizes,
    idleRssMiB: r.idle.rssMiB,
    plainJsonBytes: r.plainJsonBytes,
    exports: r.exports.map((e) => ({ ...strip(e), format: e.format, bytes: e.bytes })),
    limitsBefore: r.limitsBefore,
    limitsAfter: r.limitsAfter,
    backups: r.backups.map((x) => ({ ...strip(x), variant: x.variant.label, backupId: x.backupId, size: x.size, records: x.records, counts: x.counts, rawBytes: x.rawBytes, payloadBytes: x.payloadBytes, job: x.job })),
    codecs: r.codecs,
    bareStateDump: r.dump,
    restoreA: r.restoreA,
    restoreB: r.restoreB,
    download: r.downloaded,
    tables: { backupTable, ratioTable, restoreTable },
    targets: { backupSeconds: TARGET_BACKUP_S, restoreSeconds: TARGET_RESTORE_S, rssMB: TARGET_RSS_MB, gzipShare: TARGET_GZIP_SHARE, met },
    otherJobs: unexpected,
    loadAverageAtEnd: loadavg(),
  });
  console.log(`results: ${out}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
