import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/common/seeded-random';
import { createDataset, csv, waitForJob } from '../support/app-harness';
import { ChildServer } from '../support/child-server';
import { GlobeWorkload, ONE_EVENT_OPS, describeServerError } from './support/globe-workload';
import { checkInvariants } from './support/server-invariants';
import { WriteLedger } from './support/write-ledger';
import { RELIABILITY_SERVER_ENV } from './support/server-env';

/**
 * Load, the scenario (quick size in load.e2e-spec.ts, full in `npm run bench -- reliability`):
 * concurrent writers (creates, patches, deletes, each deciding one event, each with its own
 * X-Request-Id) against the real server while backups, snapshots and compactions run over and
 * over. Afterwards every acknowledged write is in the log exactly once (counted by correlation id),
 * no refused one at all, every backup taken meanwhile verifies and the rebuild equals the live
 * state. Reports the writers' latency (p50/p99) and throughput.
 */

export interface LoadOptions {
  seconds: number;
  writers: number;
  /** Locations imported first, so the backups and snapshots have work to do. */
  seedRows: number;
  seed: number;
  /** false: the writers alone, the baseline the figures compare with. */
  background?: boolean;
}

export interface LoadReport {
  seconds: number;
  writers: number;
  seedRows: number;
  acknowledged: number;
  refused: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  background: Record<string, string[]>;
  problems: string[];
}

/** Starts `kind` again and again until `end`, noting how each run ended. */
async function repeatJob(server: ChildServer, start: () => Promise<{ status: number; body: any }>, end: number, outcomes: string[]): Promise<void> {
  while (Date.now() < end) {
    const res = await start();
    if (res.status !== 202) {
      outcomes.push(`${res.status} ${res.body.code}`);
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const job = await waitForJob(server.http, res.body.jobId, 300_000);
    outcomes.push(job.state === 'completed' ? 'completed' : `${job.state} ${job.error?.code}`);
  }
}

export async function runLoadScenario(options: LoadOptions): Promise<LoadReport> {
  const dir = mkdtempSync(join(tmpdir(), 'gv-reliability-load-'));
  const ledger = new WriteLedger();
  const server = await ChildServer.start({ dataDir: dir, env: RELIABILITY_SERVER_ENV });
  const problems: string[] = [];
  try {
    const seedSet = await createDataset(server.http, { name: 'Load seed' });
    const imported = await server.http.post(`/api/datasets/${seedSet.id}/import`).query({ fileName: 'seed.csv' }).set('Content-Type', 'text/csv').send(csv(options.seedRows));
    await waitForJob(server.http, imported.body.jobId, 300_000);

    const workload = new GlobeWorkload(() => server.http, seededRandom(options.seed), ledger, ONE_EVENT_OPS, `load${options.seed}`);
    await workload.refresh();
    const background: Record<string, string[]> = { backup: [], snapshot: [], compaction: [] };
    const t0 = Date.now();
    const end = t0 + options.seconds * 1000;
    const jobsEnd = options.background === false ? 0 : end;
    const [writes] = await Promise.all([
      workload.run(options.writers, () => Date.now() >= end),
      repeatJob(server, () => server.http.post('/api/backups').send({}), jobsEnd, background.backup),
      repeatJob(server, () => server.http.post('/api/snapshots'), jobsEnd, background.snapshot),
      repeatJob(server, () => server.http.post('/api/snapshots/compact'), jobsEnd, background.compaction),
    ]);
    const elapsed = (Date.now() - t0) / 1000;
    problems.push(...writes.errors, ...workload.serverErrors.map(describeServerError));
    for (const [kind, outcomes] of Object.entries(background)) {
      if (options.background !== false && !outcomes.includes('completed')) problems.push(`no ${kind} completed during the load: ${outcomes.join(', ')}`);
      problems.push(...outcomes.filter((o) => /^(failed|5\d\d)/.test(o)).map((o) => `a ${kind} during the load: ${o}`));
    }
    problems.push(...(await checkInvariants(server.http, ledger)).problems);
    await server.stop();
    return {
      seconds: elapsed,
      writers: options.writers,
      seedRows: options.seedRows,
      acknowledged: ledger.acknowledged,
      refused: ledger.refusedCount,
      throughput: ledger.acknowledged / elapsed,
      p50: workload.latencies.quantile(0.5),
      p99: workload.latencies.quantile(0.99),
      max: workload.latencies.quantile(1),
      statuses: Object.fromEntries(workload.statuses),
      background,
      problems,
    };
  } finally {
    await server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function loadFigures(r: LoadReport): string {
  const jobs = Object.entries(r.background)
    .map(([kind, outcomes]) => `${kind} ${outcomes.filter((o) => o === 'completed').length}/${outcomes.length}`)
    .join(', ');
  return [
    r.background.backup.length
      ? `load: ${r.writers} concurrent writers for ${r.seconds.toFixed(1)} s over ${r.seedRows} seeded locations, while backups, snapshots and compactions ran (completed/started: ${jobs})`
      : `load baseline: ${r.writers} concurrent writers for ${r.seconds.toFixed(1)} s over ${r.seedRows} seeded locations, no background job`,
    `  ${r.acknowledged} acknowledged writes, each in the log exactly once; ${r.refused} refused, none in the log; statuses ${JSON.stringify(r.statuses)}`,
    `  throughput ${r.throughput.toFixed(0)} acknowledged writes/s; latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; problems: ${r.problems.length}`,
  ].join('\n');
}
