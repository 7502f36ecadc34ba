import { Http, allAudit, sleep, waitForJob } from '../../support/app-harness';
import { everything } from '../../recovery/recovery-helpers';
import { WriteLedger } from './write-ledger';

/**
 * What must hold of a service after anything (a kill and restart, a load, a full disk), checked
 * through its API only. Each check answers problems as sentences (empty: it holds), so a run reports
 * every broken guarantee at once instead of stopping at the first.
 */

async function getBody(http: Http, url: string, query: Record<string, string | number> = {}): Promise<any> {
  const res = await http.get(url).query(query).timeout(120_000);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Jobs queued or running now. */
export async function activeJobs(http: Http): Promise<any[]> {
  const [running, queued] = await Promise.all([getBody(http, '/api/jobs', { state: 'running', limit: 500 }), getBody(http, '/api/jobs', { state: 'queued', limit: 500 })]);
  return [...running.items, ...queued.items];
}

/** Waits until no job is queued or running; a job still active after `timeoutMs` is a problem (stuck). */
export async function jobsSettled(http: Http, timeoutMs = 120_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const active = await activeJobs(http);
    if (active.length === 0) return [];
    if (Date.now() > deadline) return active.map((j) => `job stuck ${j.state}: ${j.kind} ${j.id} (phase ${j.phase}) after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Every RestoreStarted has its RestoreCompleted: no restore is half-applied in the log. */
export function halfAppliedRestores(events: any[]): string[] {
  const completed = new Set(events.filter((e) => e.type === 'RestoreCompleted').map((e) => e.data.restoreId));
  return events.filter((e) => e.type === 'RestoreStarted' && !completed.has(e.data.restoreId)).map((e) => `restore ${e.data.restoreId} started at position ${e.position} and never completed`);
}

/** Every listed backup verifies, and every backup the ledger holds is still listed. */
export async function backupProblems(http: Http, ledger: WriteLedger): Promise<{ problems: string[]; verified: number }> {
  const listed = (await getBody(http, '/api/backups')).items as any[];
  const problems: string[] = [];
  for (const b of listed) {
    const res = await http.post(`/api/backups/${b.id}/verify`).send({}).timeout(120_000);
    if (res.status !== 200 || !res.body.ok) problems.push(`listed backup ${b.id} (${b.kind}) does not verify: ${res.status} ${JSON.stringify(res.body.error ?? res.body)}`);
  }
  const ids = new Set(listed.map((b) => b.id));
  for (const [id, what] of ledger.expectedBackups()) if (!ids.has(id)) problems.push(`completed backup no longer listed: ${what} (${id})`);
  return { problems, verified: listed.length };
}

/** Each dataset's locationCount is the number of its locations. */
export function countProblems(state: Awaited<ReturnType<typeof everything>>): string[] {
  const perDataset = new Map<string, number>();
  for (const l of state.locations) perDataset.set(l.datasetId, (perDataset.get(l.datasetId) ?? 0) + 1);
  const problems = state.datasets
    .filter((d) => d.locationCount !== (perDataset.get(d.id) ?? 0))
    .map((d) => `dataset ${d.id} says ${d.locationCount} locations, ${perDataset.get(d.id) ?? 0} are listed`);
  const known = new Set(state.datasets.map((d) => d.id));
  for (const id of perDataset.keys()) if (!known.has(id)) problems.push(`${perDataset.get(id)} locations listed in dataset ${id}, which is not listed`);
  return problems;
}

/** The read models rebuilt from the log (POST /api/projections/rebuild) equal the live ones. */
export async function rebuildProblems(http: Http): Promise<string[]> {
  const live = await everything(http);
  const started = await http.post('/api/projections/rebuild').timeout(120_000);
  if (started.status !== 202) return [`POST /api/projections/rebuild answered ${started.status}: ${JSON.stringify(started.body)}`];
  const job = await waitForJob(http, started.body.jobId, 300_000);
  if (job.state !== 'completed') return [`the rebuild job ended ${job.state}: ${JSON.stringify(job.error)}`];
  const rebuilt = await everything(http);
  const problems: string[] = [];
  for (const key of ['datasets', 'locations', 'settings', 'configurations'] as const) {
    const [a, b] = [JSON.stringify(live[key]), JSON.stringify(rebuilt[key])];
    if (a !== b) problems.push(`the rebuilt ${key} differ from the live ones (live ${a.length} chars, rebuilt ${b.length}): ${firstDifference(a, b)}`);
  }
  return problems;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: live …${a.slice(Math.max(0, i - 80), i + 80)}… rebuilt …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

export interface InvariantReport {
  problems: string[];
  events: number;
  backupsVerified: number;
}

/**
 * All of it, in the order that makes each check meaningful: jobs settled first (a restore resumed at
 * start-up finishes), then the log against the ledger and the restore markers, the backups, the
 * counts, and last the rebuild (which must find the live read models exactly).
 */
export async function checkInvariants(http: Http, ledger: WriteLedger, options: { rebuild?: boolean } = {}): Promise<InvariantReport> {
  const problems = await jobsSettled(http);
  const events = await allAudit(http);
  problems.push(...ledger.problemsAgainst(events), ...halfAppliedRestores(events));
  const backups = await backupProblems(http, ledger);
  problems.push(...backups.problems);
  problems.push(...countProblems(await everything(http)));
  if (options.rebuild !== false) problems.push(...(await rebuildProblems(http)));
  return { problems, events: events.length, backupsVerified: backups.verified };
}
