import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/common/seeded-random';
import { sleep } from '../support/app-harness';
import { ChildServer } from '../support/child-server';
import { ALL_OPS, GlobeWorkload, describeServerError } from './support/globe-workload';
import { activeJobs, checkInvariants } from './support/server-invariants';
import { WriteLedger } from './support/write-ledger';
import { RELIABILITY_SERVER_ENV } from './support/server-env';

/**
 * Crash safety, the scenario (its quick size runs in crash-safety.e2e-spec.ts, its full one in
 * `npm run bench -- reliability`): the real server in a child process, driven by concurrent workers
 * through imports, edits, backups, uploads, restores and undos, snapshots and compactions, is
 * killed with SIGKILL at a random moment (seeded), restarted on the same DATA_DIR, and checked:
 * jobs settle and the interrupted ones read failed JOB.INTERRUPTED, every acknowledged write is in
 * the log, no restore is half-applied, every listed backup verifies, counts agree, and the
 * projection rebuilt from the log equals the live one. Then the next round drives the restarted
 * server. (test/recovery/crash.e2e-spec.ts and test/backups/backup-crash.e2e-spec.ts aim kills at
 * precise moments of one restore, import or backup; this one aims at random moments of everything.)
 */

export interface CrashOptions {
  kills: number;
  seed: number;
  workers: number;
  /** Each kill comes this long after its round's workers start: min + PRNG × spread, in ms. */
  killAfterMs: { min: number; spread: number };
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  operations: number;
  acknowledged: number;
  events: number;
  /** Listed backups verified, summed over all restarts. */
  backupsVerified: number;
  /** The jobs running at each kill, by kind (a kill during no job counts as 'edits'). */
  killedDuring: Record<string, number>;
  serverErrors: number;
  seconds: number;
  problems: string[];
}

export async function runCrashScenario(options: CrashOptions): Promise<CrashReport> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'gv-reliability-crash-'));
  const rng = seededRandom(options.seed);
  const ledger = new WriteLedger();
  let server = await ChildServer.start({ dataDir: dir, env: RELIABILITY_SERVER_ENV });
  const workload = new GlobeWorkload(() => server.http, rng, ledger, ALL_OPS, `crash${options.seed}`);
  const problems: string[] = [];
  const killedDuring: Record<string, number> = {};
  let operations = 0;
  let events = 0;
  let backupsVerified = 0;
  try {
    // one backup listed from the start, so the first restarts already have one to verify
    await workload.backup();
    for (let kill = 1; kill <= options.kills; kill++) {
      await workload.refresh();
      const run = workload.run(options.workers, () => false);
      await sleep(options.killAfterMs.min + rng() * options.killAfterMs.spread);
      const active = await activeJobs(server.http).catch(() => []);
      workload.halt();
      const killedAt = Date.now();
      const exit = await server.kill('SIGKILL');
      if (exit.signal !== 'SIGKILL') problems.push(`kill ${kill}: the server had already exited (${JSON.stringify(exit)}):\n${server.output().slice(-4000)}`);
      const round = await run;
      operations += round.operations;
      problems.push(...round.errors.map((e) => `kill ${kill}: before the kill: ${e}`));
      for (const kind of active.length ? new Set(active.map((j) => j.kind)) : ['edits']) killedDuring[kind] = (killedDuring[kind] ?? 0) + 1;

      server = await ChildServer.start({ dataDir: dir, env: RELIABILITY_SERVER_ENV, readyTimeoutMs: 120_000 });
      const report = await checkInvariants(server.http, ledger);
      problems.push(...report.problems.map((p) => `kill ${kill}: ${p}`));
      for (const job of active) {
        const now = (await server.http.get(`/api/jobs/${job.id}`)).body;
        // a job may end on its own (a restore whose preview went stale) between the listing and the kill
        const endedBeforeKill = now.finishedAt !== null && Date.parse(now.finishedAt) <= killedAt;
        const marked = now.state === 'completed' || (now.state === 'failed' && now.error?.code === 'JOB.INTERRUPTED');
        if (!marked && !endedBeforeKill) problems.push(`kill ${kill}: the ${job.kind} job ${job.id} running at the kill now reads ${now.state} ${JSON.stringify(now.error)}`);
      }
      events = report.events;
      backupsVerified += report.backupsVerified;
      options.log?.(`kill ${kill}/${options.kills}: during ${active.map((j) => j.kind).join('+') || 'edits'}; ${round.operations} operations; ${report.events} events; ${report.backupsVerified} backups verified; ${report.problems.length} problems`);
    }
    problems.push(...workload.serverErrors.map(describeServerError));
    await server.stop();
  } finally {
    await server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    kills: options.kills,
    operations,
    acknowledged: ledger.acknowledged,
    events,
    backupsVerified,
    killedDuring,
    serverErrors: workload.serverErrors.length,
    seconds: (Date.now() - t0) / 1000,
    problems,
  };
}

export function crashFigures(r: CrashReport): string {
  const during = Object.entries(r.killedDuring)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `crash safety: ${r.kills} SIGKILLs in ${r.seconds.toFixed(0)} s (during: ${during})`,
    `  ${r.operations} operations, ${r.acknowledged} acknowledged writes, all checked in the log after every restart; ${r.events} events at the end`,
    `  ${r.backupsVerified} verifications of listed backups (every listed backup after every restart), all ok unless listed as problems; 5xx answers: ${r.serverErrors}; problems: ${r.problems.length}`,
  ].join('\n');
}
