import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';

/** The repository root. */
const ROOT = resolve(__dirname, '..');
const CLOCK_TICKS = 100;

/**
 * The real server in its own process, for the end-to-end benchmarks:
 * `node -r @swc-node/register src/main.ts` (the source as it is now; see serverEntry for
 * BENCH_SERVER=dist) with PORT, DATA_DIR and LOG_LEVEL=warn. Its memory is read from /proc/<pid>/status (VmHWM is the kernel's own peak, so
 * nothing between two samples is missed; `resetPeak` restarts it for one measured operation), its
 * CPU time from /proc/<pid>/stat. `BENCH_PROFILE=1` preloads bench/server-profiler.cjs, which
 * CPU-profiles the server between `profileStart()` and `profileStop()` into bench/results/prof;
 * `BENCH_SERVER_ARGS` adds node flags; `BENCH_SERVER_LOG=<file>` writes the server's output there.
 */
export class ServerProcess {
  readonly url: string;
  private readonly out: string[] = [];
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly proc: ChildProcess,
    readonly port: number,
    readonly dataDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    const log = process.env.BENCH_SERVER_LOG;
    const keep = (chunk: Buffer) => {
      if (log) appendFileSync(log, chunk);
      this.out.push(chunk.toString('utf8'));
      if (this.out.length > 200) this.out.splice(0, this.out.length - 200);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((done) =>
      proc.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        done();
      }),
    );
  }

  get pid(): number {
    return this.proc.pid!;
  }

  static async start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    const port = await freePort();
    const profile = process.env.BENCH_PROFILE === '1';
    const args = [
      // Extra node/V8 flags for experiments, e.g. BENCH_SERVER_ARGS='--trace-gc --max-semi-space-size=64'.
      ...(process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean),
      ...(profile ? ['-r', join(__dirname, 'server-profiler.cjs')] : []),
      ...serverEntry(),
    ];
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...startCommand().env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      stdio: profile ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(proc, port, dataDir);
    try {
      await server.waitUntilReady(Number(process.env.BENCH_READY_TIMEOUT_MS ?? 120_000));
    } catch (error) {
      await server.kill();
      throw error;
    }
    return server;
  }

  output(): string {
    return this.out.join('');
  }

  /** Resident set size now, and the peak since start or the last `resetPeak`, in MiB. */
  memory(): { rssMiB: number; peakMiB: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) };
  }

  /**
   * Where the resident memory is, from /proc/<pid>/smaps, in MiB: the main malloc arena ([heap]),
   * other anonymous mappings by reserved size (glibc's thread arenas reserve 64 MiB each; V8's pages
   * are 256 KiB multiples), and file-backed pages.
   */
  memoryMap(): Record<string, number> {
    const text = readFileSync(`/proc/${this.pid}/smaps`, 'utf8');
    const parts: Record<string, number> = {};
    let bucket = '';
    for (const line of text.split('\n')) {
      const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
      if (head) {
        const size = (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1048576;
        const name = head[4];
        bucket = name === '[heap]' ? 'heap' : name.startsWith('[') ? 'other' : name ? 'file' : size >= 60 && size <= 64.1 ? 'arena64' : size >= 1 ? 'anon>=1MiB' : 'anon<1MiB';
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) parts[bucket] = (parts[bucket] ?? 0) + Number(rss[1]) / 1024;
    }
    return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, Math.round(v)]));
  }

  /** Restarts the kernel's peak-RSS counter (`echo 5 > /proc/<pid>/clear_refs`); false if not permitted. */
  resetPeak(): boolean {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /** User + system CPU seconds the server has used so far (all threads). */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }

  /** I/O of the server so far (/proc/<pid>/io): bytes it had the kernel read from and write to storage. */
  io(): { readBytes: number; writeBytes: number } {
    const text = readFileSync(`/proc/${this.pid}/io`, 'utf8');
    const get = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { readBytes: get('read_bytes'), writeBytes: get('write_bytes') };
  }

  /**
   * Samples the server's RSS, CPU time and I/O every `intervalMs` from this process (which the
   * server's blocked event loop cannot delay), from now until the returned stop function is called;
   * `t` is ms after `origin` (a performance.now() value).
   */
  sample(origin: number, intervalMs = 100, probe?: () => Partial<Sample>): () => Sample[] {
    const samples: Sample[] = [];
    const take = () => {
      try {
        samples.push({ t: performance.now() - origin, rssMiB: this.memory().rssMiB, cpuSeconds: this.cpuSeconds(), ...this.io(), ...probe?.() });
      } catch {
        // the server exited
      }
    };
    take();
    const timer = setInterval(take, intervalMs);
    return () => {
      clearInterval(timer);
      take();
      return samples;
    };
  }

  async json<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-actor': 'bench', 'x-source': 'api' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Like `json`, but throws unless the status is `expected`. */
  async call<T = any>(method: string, path: string, body: unknown, expected: number): Promise<T> {
    const res = await this.json<T>(method, path, body);
    if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}\n${this.output()}`);
    return res.body;
  }

  /** Streams a file as the raw request body (never read whole into memory). */
  upload(path: string, urlPath: string, contentType: string): Promise<{ status: number; body: any }> {
    const bytes = statSync(path).size;
    return new Promise((resolveUpload, reject) => {
      const req = request(
        `${this.url}${urlPath}`,
        { method: 'POST', headers: { 'content-type': contentType, 'content-length': bytes, 'x-actor': 'bench', 'x-source': 'api' } },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            resolveUpload({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      pipeline(createReadStream(path), req).catch(reject);
    });
  }

  /**
   * Polls GET /api/jobs/:id every `intervalMs` until the job is in a final state, recording each
   * phase's first sighting (the time its answer arrived) and the server's RSS at every poll.
   * Throws if the job did not complete.
   */
  async waitForJob(jobId: string, startedAt: number, intervalMs = 200): Promise<JobTimeline> {
    const polls: Poll[] = [];
    for (;;) {
      const sent = performance.now();
      const res = await this.getWithRetry<JobSnapshot>(`/api/jobs/${jobId}`);
      const received = performance.now();
      if (res.status !== 200) throw new Error(`GET /api/jobs/${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
      const job = res.body;
      polls.push({ sentMs: sent - startedAt, receivedMs: received - startedAt, phase: job.phase, state: job.state, done: job.done, rssMiB: this.memory().rssMiB });
      if (job.state === 'failed' || job.state === 'cancelled') {
        throw new Error(`job ${jobId} ${job.state}: ${JSON.stringify(job.error)}\n${this.output()}`);
      }
      if (job.state === 'completed') return new JobTimeline(polls, job);
      const wait = intervalMs - (performance.now() - sent);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  /**
   * A GET retried on a reset connection: a keep-alive socket the server's idle timer closes just as a
   * request goes out (its timers run late after a long synchronous stretch) resets the request.
   * A server that exited fails at once, with its output.
   */
  private async getWithRetry<T>(path: string): Promise<{ status: number; body: T }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.json<T>('GET', path);
      } catch (error) {
        if (this.exitInfo) throw new Error(`the server exited (${JSON.stringify(this.exitInfo)}):\n${this.output()}`);
        if (attempt >= 5) throw error;
        this.retries += 1;
      }
    }
  }

  /** GETs retried after a reset connection (see getWithRetry). */
  retries = 0;

  /** Starts the server's CPU profile (a no-op unless BENCH_PROFILE=1). */
  profileStart(): void {
    if (this.proc.connected) this.proc.send({ prof: 'start' });
  }

  /** Stops the CPU profile and answers the file it was written to (null when not profiling). */
  async profileStop(label: string): Promise<string | null> {
    if (!this.proc.connected) return null;
    const dir = join(__dirname, 'results', 'prof');
    mkdirSync(dir, { recursive: true });
    const written = new Promise<string>((done) => {
      const onMessage = (m: { prof?: string; file?: string }) => {
        if (m?.prof === 'written') {
          this.proc.off('message', onMessage);
          done(m.file!);
        }
      };
      this.proc.on('message', onMessage);
    });
    this.proc.send({ prof: 'stop', file: join(dir, `${label}-${Date.now()}.cpuprofile`) });
    return written;
  }

  /** A clean stop: SIGTERM (Nest's shutdown hooks close the stores and checkpoint the WAL), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 60_000): Promise<void> {
    if (this.exitInfo) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<void> {
    if (this.exitInfo) return;
    this.proc.kill('SIGKILL');
    await this.exited;
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitInfo) throw new Error(`the server exited before it was ready (${JSON.stringify(this.exitInfo)}):\n${this.output()}`);
      const ok = await fetch(`${this.url}/api/datasets`, { signal: AbortSignal.timeout(2000) })
        .then((res) => res.status === 200)
        .catch(() => false);
      if (ok) return;
      if (Date.now() > deadline) {
        // src/main.ts answers only once the projector has caught up with the whole log.
        throw new Error(`the server did not answer within ${timeoutMs} ms:\n${this.output()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export interface JobSnapshot {
  id: string;
  state: string;
  phase: string;
  done: number;
  total: number | null;
  result: any;
  error: unknown;
}

export interface Sample {
  t: number;
  rssMiB: number;
  cpuSeconds: number;
  readBytes: number;
  writeBytes: number;
  /** The log's head and the read models' checkpoint, when a LogProbe is sampled too. */
  head?: number;
  checkpoint?: number;
}

/**
 * Reads the log's head and the read models' checkpoint from the server's files (read-only
 * connections beside it), so that the bench sees an append commit and a projection slice land even
 * while the server's event loop is blocked and cannot answer.
 */
export class LogProbe {
  private events: Database.Database | null = null;
  private readModels: Database.Database | null = null;

  constructor(private readonly dataDir: string) {}

  read(): { head: number; checkpoint: number } {
    this.events ??= new Database(join(this.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
    this.readModels ??= new Database(join(this.dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
    const head = (this.events.prepare('SELECT max(position) AS p FROM events').get() as { p: number | null }).p ?? 0;
    const checkpoint =
      (this.readModels.prepare("SELECT position FROM projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined)?.position ?? 0;
    return { head, checkpoint };
  }

  close(): void {
    this.events?.close();
    this.readModels?.close();
    this.events = this.readModels = null;
  }
}

/** ms of the first sample at which `pick` holds (the event happened within one sample interval before it). */
export function firstSampleWhere(samples: Sample[], pick: (s: Sample) => boolean): number | undefined {
  return samples.find(pick)?.t;
}

/** CPU seconds, MiB written and read, and the highest RSS between `fromMs` and `toMs`, from samples. */
export function usageBetween(samples: Sample[], fromMs: number, toMs: number): { cpuSeconds: number; writeMiB: number; readMiB: number; maxRssMiB: number } {
  const at = (t: number) => samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), samples[0]);
  const a = at(fromMs);
  const b = at(toMs);
  const inside = samples.filter((s) => s.t >= fromMs && s.t <= toMs);
  return {
    cpuSeconds: Math.round((b.cpuSeconds - a.cpuSeconds) * 100) / 100,
    writeMiB: Math.round((b.writeBytes - a.writeBytes) / 2 ** 20),
    readMiB: Math.round((b.readBytes - a.readBytes) / 2 ** 20),
    maxRssMiB: Math.max(0, ...inside.map((s) => s.rssMiB)),
  };
}

export interface Poll {
  sentMs: number;
  receivedMs: number;
  phase: string;
  state: string;
  done: number;
  rssMiB: number;
}

export interface PhaseSpan {
  phase: string;
  /** From the first answer naming it (or its known start) to the start of the next phase, ms after the operation started. */
  fromMs: number;
  toMs: number;
  /**
   * The longest wait for an answer among the polls sent during this phase: at least how long the
   * server's event loop was blocked at a stretch (a poll sent while it is blocked is answered when it frees).
   */
  maxPollLatencyMs: number;
  /** The highest RSS sampled (at each poll's answer) during this phase; 0 when no poll fell in it. */
  maxRssMiB: number;
}

/** What polling a job saw: its phases in order with their spans. */
export class JobTimeline {
  constructor(
    readonly polls: Poll[],
    readonly final: JobSnapshot,
  ) {}

  /** ms from the operation's start to the first answer saying `completed`. */
  get totalMs(): number {
    return this.polls[this.polls.length - 1].receivedMs;
  }

  /**
   * Phase spans. A phase begins at the first answer that names it, so each boundary is known to
   * within one poll interval (200 ms) plus that poll's latency, unless `knownStarts` gives it
   * exactly (e.g. from the timestamp the log gave the phase's first write): a phase the polls never
   * saw because the event loop was blocked for all of it is then inserted, one seen late is moved
   * back. `before` names the span from the operation's start to the first answer (e.g. the upload);
   * without it, the first phase seen is taken to have begun at the start.
   */
  phases(before?: string, knownStarts: Record<string, number> = {}): PhaseSpan[] {
    let spans: PhaseSpan[] = [];
    if (before) spans.push({ phase: before, fromMs: 0, toMs: this.polls[0].receivedMs, maxPollLatencyMs: 0, maxRssMiB: 0 });
    for (const p of this.polls) {
      const phase = p.state === 'completed' ? 'done' : p.phase;
      const last = spans[spans.length - 1];
      if (last?.phase === phase) continue;
      if (last) last.toMs = p.receivedMs;
      spans.push({ phase, fromMs: p.receivedMs, toMs: p.receivedMs, maxPollLatencyMs: 0, maxRssMiB: 0 });
    }
    // Without a `before` span the job was already in its first phase when the operation started.
    if (!before && spans.length > 0) spans[0].fromMs = 0;
    for (const [phase, atMs] of Object.entries(knownStarts)) spans = withKnownStart(spans, phase, atMs);
    for (const span of spans) {
      for (const p of this.polls) {
        if (p.sentMs >= span.fromMs && p.sentMs < span.toMs) span.maxPollLatencyMs = Math.max(span.maxPollLatencyMs, p.receivedMs - p.sentMs);
        if (p.receivedMs > span.fromMs && p.receivedMs <= span.toMs) span.maxRssMiB = Math.max(span.maxRssMiB, p.rssMiB);
      }
    }
    return spans.filter((s) => s.phase !== 'done');
  }
}

/** `spans` with `phase` starting at `atMs`: cut into the span that holds that moment, up to where the phase was seen to end. */
function withKnownStart(spans: PhaseSpan[], phase: string, atMs: number): PhaseSpan[] {
  const seen = spans.find((s) => s.phase === phase);
  const out = spans.filter((s) => s.phase !== phase).map((s) => ({ ...s }));
  const i = out.findIndex((s) => s.fromMs <= atMs && atMs < s.toMs);
  if (i < 0) return spans;
  const cut = out[i];
  const inserted: PhaseSpan = { phase, fromMs: atMs, toMs: seen ? seen.toMs : cut.toMs, maxPollLatencyMs: 0, maxRssMiB: 0 };
  cut.toMs = atMs;
  out.splice(i + 1, 0, inserted);
  return out;
}

/**
 * How the server is started: BENCH_SERVER=src (default) `node -r @swc-node/register src/main.ts`,
 * the source as it is now; `dist`: `node dist/main.js` (after `npm run build:server`).
 */
export function serverEntry(): string[] {
  const which = process.env.BENCH_SERVER ?? 'src';
  if (which === 'dist') return [...startFlags(), 'dist/main.js'];
  if (which === 'src') return [...startFlags(), '-r', '@swc-node/register', 'src/main.ts'];
  throw new Error(`BENCH_SERVER must be src or dist, got ${which}`);
}

/**
 * How `npm start` runs the server (package.json's start script, `[VAR=value ...] node <flags>
 * dist/main.js`): its environment settings and node flags, so that the bench measures the server
 * as users run it.
 */
export function startCommand(): { env: Record<string, string>; flags: string[] } {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // `npm start` runs `[npm run build &&] [VAR=value ...] node [flags] dist/cli/main.js serve` (or dist/main.js before the CLI).
  const parts = /((?:\b[A-Z_]+=\S+ )*)node ((?:--[\w-]+(?:=\S+)? )*)dist\/(?:cli\/main\.js serve|main\.js)/.exec(start);
  if (!parts) throw new Error(`package.json's start script does not run [VAR=value ...] node [flags] dist/cli/main.js serve: ${start}`);
  const env = Object.fromEntries(parts[1].split(' ').filter(Boolean).map((a) => a.split('=') as [string, string]));
  return { env, flags: parts[2].split(' ').filter(Boolean) };
}

const startFlags = () => startCommand().flags;

/** The server command line, for the results. */
export const serverCommand = () => `${Object.entries(startCommand().env).map(([k, v]) => `${k}=${v} `).join('')}node ${serverEntry().join(' ')}`;

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

/** Settings every end-to-end benchmark applies first: no snapshot or compaction may start on its own mid-measurement. */
export const QUIET_SCHEDULES = { snapshotEveryEvents: 0, snapshotCron: '', compactionCron: '' };
