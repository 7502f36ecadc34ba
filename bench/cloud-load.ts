import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createDataset } from './e2e';
import { ServerProcess } from './server-process';

/**
 * Writes and archive-lag samples for bench/cloud.bench.ts, through the HTTP API: each write is a
 * `PATCH /api/locations/:id {name}`, one `LocationUpdated` event in the log.
 */

/**
 * The locations the load writes to, taking turns across `datasets` new datasets of 8 locations:
 * commands on one dataset run one after another (src/globe/command-runner.ts), so writes to one
 * dataset alone measure that queue's round trip, not the archive.
 */
export async function loadTargets(server: ServerProcess, datasets: number): Promise<string[]> {
  const perDataset: string[][] = [];
  for (let d = 0; d < datasets; d++) {
    const id = await createDataset(server, `bench cloud load ${d}`);
    const added = await Promise.all(
      Array.from({ length: 8 }, (_, n) => server.call<{ id: string }>('POST', `/api/datasets/${encodeURIComponent(id)}/locations`, { name: `Load ${d}.${n}`, latitude: n, longitude: d }, 201)),
    );
    perDataset.push(added.map((l) => l.id));
  }
  return Array.from({ length: 8 * datasets }, (_, i) => perDataset[i % datasets][Math.floor(i / datasets)]);
}

export interface WriteRun {
  ok: number;
  failed: number;
  ms: number;
  /** ms from when each write was due to its answer. */
  latencies: number[];
  /** The most writes waiting for an answer at once. */
  queuedMax: number;
  /** Writes not sent because a second's worth (the rate) was already waiting: the server fell behind the rate. */
  skipped: number;
}

/** 64 keep-alive connections: enough for 1,000 writes/s at up to 64 ms each, without opening one per write. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function patch(server: ServerProcess, id: string, name: string): Promise<number> {
  const body = JSON.stringify({ name });
  return new Promise((done) => {
    const req = request(
      `${server.url}/api/locations/${encodeURIComponent(id)}`,
      { method: 'PATCH', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-actor': 'bench', 'x-source': 'api' } },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(0));
      },
    );
    req.on('error', () => done(0));
    req.end(body);
  });
}

/**
 * An open loop: `rate` writes per second for `durationMs`, each sent when it is due whatever the
 * answers before it (so a slow server shows as latency and queueing, not as a lower offered rate),
 * unless a second's worth is already waiting: that write is skipped (counted), so that a server
 * slower than the rate is measured for `durationMs`, not for as long as a growing backlog takes.
 */
export async function steadyWrites(server: ServerProcess, ids: string[], rate: number, durationMs: number, tag: string): Promise<WriteRun> {
  const run: WriteRun = { ok: 0, failed: 0, ms: 0, latencies: [], queuedMax: 0, skipped: 0 };
  const start = performance.now();
  const pending = new Set<Promise<void>>();
  let sent = 0;
  const total = Math.round((rate * durationMs) / 1000);
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
    for (; sent < due; sent++) {
      if (pending.size >= rate) {
        run.skipped += 1;
        continue;
      }
      const dueAt = start + (sent * 1000) / rate;
      const p = patch(server, ids[sent % ids.length], `${tag} ${sent}`).then((status) => {
        if (status === 200) run.ok += 1;
        else run.failed += 1;
        run.latencies.push(performance.now() - dueAt);
        pending.delete(p);
      });
      pending.add(p);
    }
    run.queuedMax = Math.max(run.queuedMax, pending.size);
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  run.ms = performance.now() - start;
  return run;
}

export interface LagSample {
  /** ms after the sampler started, when the answer arrived. */
  t: number;
  seconds: number;
  positions: number;
  /** How long GET /api/backups/health took to answer. */
  latencyMs: number;
}

/** GET /api/backups/health every `intervalMs` (one request at a time): the archive's lag behind the log's head. */
export function sampleArchiveLag(server: ServerProcess, intervalMs: number): () => Promise<LagSample[]> {
  const samples: LagSample[] = [];
  const origin = performance.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const sent = performance.now();
      const health = await server.json<{ archive: { lag: { seconds: number; positions: number } } | null }>('GET', '/api/backups/health');
      const received = performance.now();
      const lag = health.body?.archive?.lag;
      if (health.status !== 200 || !lag) throw new Error(`GET /api/backups/health: ${health.status} ${JSON.stringify(health.body)}`);
      samples.push({ t: received - origin, seconds: lag.seconds, positions: lag.positions, latencyMs: received - sent });
      const wait = intervalMs - (performance.now() - sent);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return samples;
  };
}

/** Waits until the archive holds the whole log (lag 0 positions); the ms it took. */
export async function archiveCaughtUp(server: ServerProcess, timeoutMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const health = await server.call<{ archive: { lag: { positions: number }; lastError: unknown } }>('GET', '/api/backups/health', undefined, 200);
    if (health.archive.lag.positions === 0) return performance.now() - start;
    if (performance.now() - start > timeoutMs) throw new Error(`the archive is still ${health.archive.lag.positions} positions behind after ${timeoutMs} ms: ${JSON.stringify(health.archive)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
