import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/common/seeded-random';
import { allAudit, csv, waitForJob } from '../support/app-harness';
import { download, filesIn } from '../backups/backup-helpers';
import { ChildServer } from '../support/child-server';
import { HostileCase, hostileCase } from './support/hostile-requests';
import { HostileSocket } from './support/hostile-socket';
import { RawHttp, jsonOf } from './support/raw-http';
import { Pools } from './support/route-catalog';
import { checkInvariants, jobsSettled } from './support/server-invariants';
import { WriteLedger } from './support/write-ledger';
import { RELIABILITY_SERVER_ENV } from './support/server-env';

/**
 * Hostile input, the scenario (quick size in hostile-input.e2e-spec.ts, full in `npm run bench --
 * reliability`): property-based requests (fast-check, seeded) to every catalogued route in turn and
 * hostile messages to the /progress socket, one at a time against the real server in a child
 * process. For each: no 5xx, the process alive, and after a refusal (4xx) the log head unchanged (a
 * refused request wrote nothing); after an acceptance, its jobs settle and imports fail only with
 * IMPORT.* codes. At the end: no refused request's id in the log, no staged file left, every listed
 * backup verifies and the rebuild equals the live state.
 */

export interface HostileOptions {
  requests: number;
  /** Every `socketEvery`-th request is a socket message. */
  socketEvery: number;
  seed: number;
  log?: (line: string) => void;
}

export interface HostileReport {
  http: number;
  socket: number;
  statuses: Record<string, number>;
  serverErrors: number;
  crashes: number;
  resets: number;
  refused: number;
  kinds: number;
  seconds: number;
  problems: string[];
}

/** Background writes a refused request cannot have caused: the compaction cron's. */
const BACKGROUND_EVENTS = new Set(['SnapshotsCompacted']);

const cursorAfter = (position: number) => Buffer.from(`p:${position}`).toString('base64url');

async function seed(server: ChildServer): Promise<Buffer> {
  const http = server.http;
  const dataset = (await http.post('/api/datasets').send({ name: 'Seed' })).body;
  const imported = await http.post(`/api/datasets/${dataset.id}/import`).query({ fileName: 'seed.csv' }).set('Content-Type', 'text/csv').send(csv(30));
  await waitForJob(http, imported.body.jobId);
  await http.put('/api/configurations/seed-view').send({ kind: 'camera-view', name: 'Seed', value: { zoom: 1 } });
  await http.post('/api/restore-points').send({ name: 'Seed point' });
  const preview = await http.post('/api/restores/preview').send({ target: { position: 1 }, scope: { datasets: [dataset.id] } });
  const restore = await http.post('/api/restores').send({ previewToken: preview.body.previewToken });
  await waitForJob(http, restore.body.jobId);
  const backup = await http.post('/api/backups').send({ includeHistory: true });
  await waitForJob(http, backup.body.jobId);
  return (await download(http, backup.body.backupId)).bytes;
}

async function pools(server: ChildServer): Promise<Pools> {
  const http = server.http;
  const ids = async (url: string) => ((await http.get(url).query(url === '/api/locations' ? { limit: 200 } : {})).body.items ?? []).map((x: any) => x.id as string);
  if ((await ids('/api/datasets')).length === 0) await http.post('/api/datasets').send({ name: 'Reseeded' });
  return {
    dataset: await ids('/api/datasets'),
    location: await ids('/api/locations'),
    configuration: await ids('/api/configurations'),
    backup: await ids('/api/backups'),
    job: await ids('/api/jobs'),
    restore: await ids('/api/restores'),
    token: await ids('/api/tokens'),
  };
}

export async function runHostileInputScenario(options: HostileOptions): Promise<HostileReport> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'gv-reliability-hostile-'));
  const rng = seededRandom(options.seed);
  const ledger = new WriteLedger();
  const problems: string[] = [];
  let problemsLogged = 0;
  const statuses: Record<string, number> = {};
  const kinds = new Set<string>();
  // a loaded machine may take more than the default 30 s to start the server, as a restart may
  let server = await ChildServer.start({ dataDir: dir, env: RELIABILITY_SERVER_ENV, readyTimeoutMs: 120_000 });
  let raw = new RawHttp(server.port, 120_000);
  let socket = new HostileSocket(server.url);
  const report = { http: 0, socket: 0, serverErrors: 0, crashes: 0, resets: 0, refused: 0 };

  const head = async () => jsonOf(await raw.send({ method: 'GET', path: '/api/audit?limit=1' }))?.items?.[0]?.position ?? 0;
  const restart = async (why: string) => {
    report.crashes++;
    problems.push(`${why}: the server died:\n${server.output().slice(-3000)}`);
    raw.close();
    socket.close();
    server = await ChildServer.start({ dataDir: dir, env: RELIABILITY_SERVER_ENV, readyTimeoutMs: 120_000 });
    raw = new RawHttp(server.port, 120_000);
    socket = new HostileSocket(server.url);
  };

  // Files only a request stages (uploads, imports, an upload's scratch state): each is removed before
  // its answer, or by its job, so none may outlast the request; checked after every request, to name
  // the one that left it. A connection the server reset may be answered before the removal ends: a grace.
  const reportedStaged = new Set<string>();
  const stagedLeftBy = async (label: string) => {
    const left = () => filesIn(join(dir, 'tmp')).filter((f) => /^(upload-|import-|state-upload-)/.test(f) && !reportedStaged.has(f));
    for (let waited = 0; left().length > 0 && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    for (const f of left()) {
      reportedStaged.add(f);
      problems.push(`${label} left ${f} in tmp/`);
    }
  };

  try {
    const backupFile = await seed(server);
    const ctx = { pools: await pools(server), backupFile, n: 0, rng };
    let position = await head();
    for (let n = 0; n < options.requests; n++) {
      ctx.n = n;
      if (options.log && n % 1000 === 0 && n > 0) {
        // a full run takes about half an hour: its problems are shown as they come, not only at the end
        options.log(`${n}/${options.requests}: ${JSON.stringify(statuses)}; problems ${problems.length}`);
        for (const p of problems.slice(problemsLogged)) options.log(`  problem: ${p.slice(0, 500)}`);
        problemsLogged = problems.length;
      }
      if (n % options.socketEvery === options.socketEvery - 1) {
        report.socket++;
        const outcome = await socket.send(n, options.seed).catch((error) => ({ problem: `socket connect: ${error.message}`, disconnected: true }));
        if (!server.alive) await restart(`socket message ${n}`);
        else if (outcome.problem) problems.push(outcome.problem);
        continue;
      }
      if (n % 200 === 0) {
        ctx.pools = await pools(server);
        position = await head();
      }
      const c: HostileCase = hostileCase(n, options.seed, ctx);
      const id = `fuzz-${options.seed}-${n}`;
      c.req.headers = { 'x-request-id': id, ...c.req.headers };
      const label = `#${n} ${c.req.method} ${c.req.path.slice(0, 160)} (${c.kind})`;
      kinds.add(`${c.route.method} ${c.route.path} ${c.kind.replace(/-?\d+/g, 'N')}`);
      const res = await raw.send(c.req);
      if (res.status === -1) continue; // node:http would not send it (an invalid header): nothing reached the server
      report.http++;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 0) {
        if (!server.alive || (await raw.send({ method: 'GET', path: '/api/state' })).status !== 200) await restart(label);
        else {
          report.resets++;
          await stagedLeftBy(label);
        }
        position = await head();
        continue;
      }
      if (res.status >= 500) {
        report.serverErrors++;
        problems.push(`${label} answered ${res.status}: ${res.text.slice(0, 300)}`);
      }
      if (res.status < 300) {
        // an import is refused by its job (checked below): its 202 only says the file was received
        if (c.mustRefuse && c.route.body !== 'import') problems.push(`${label} was accepted (${res.status})`);
        if (c.mustRefuse && c.route.path === '/api/settings') await server.http.patch('/api/settings').send({ snapshotCron: '0 * * * *', compactionCron: '15 3 * * *' });
        const jobId = jsonOf(res)?.jobId;
        if (jobId) {
          const job = await waitForJob(server.http, jobId, 120_000).catch((error) => ({ state: 'unknown', error: { code: error.message } }));
          if (c.route.body === 'import') {
            if (job.state === 'failed' && !/^(IMPORT|DATASET)\./.test(job.error?.code)) problems.push(`${label}: the import failed with ${job.error?.code}: ${job.error?.message}`);
            if (job.state === 'completed' && c.mustRefuse) problems.push(`${label}: the import completed`);
          }
        }
        problems.push(...(await jobsSettled(server.http)).map((p) => `${label}: ${p}`));
        position = await head();
      } else if (res.status >= 400) {
        report.refused++;
        // only our own unique ids: a hostile X-Request-Id ('__proto__', '??') may equal an accepted request's
        if (c.req.headers['x-request-id'] === id) ledger.refuse(id, label);
        const now = await head();
        if (now !== position) {
          const written = (await allAudit(server.http, { after: cursorAfter(position) })).filter((e) => !BACKGROUND_EVENTS.has(e.type));
          if (written.length) problems.push(`${label} was refused (${res.status}) but the log moved: ${written.map((e) => `${e.position} ${e.type} ${e.metadata.correlationId}`).join(', ')}`);
          position = now;
        }
      }
      if (!server.alive) await restart(label);
      else await stagedLeftBy(label);
    }
    // after everything: nothing staged or partial left, no refused id in the log, the state whole
    problems.push(...(await jobsSettled(server.http)));
    // every file a request stages or writes on its way (uploads, imports and their chunks, backups
    // and their payloads, exports, an upload's scratch state, archive segments) is removed on every
    // outcome; only the bounded caches (snapshot spare, prepared and previewed states) may stay
    const leftovers = filesIn(join(dir, 'tmp')).filter((f) => /^(upload-|import-|backup-|export-|state-upload-|segment-)/.test(f));
    if (leftovers.length) problems.push(`files left in tmp/ after the run: ${leftovers.join(', ')}`);
    const listed = new Set(((await server.http.get('/api/backups')).body.items as any[]).map((b) => b.key));
    const orphans = readdirSync(join(dir, 'backups')).filter((f) => !listed.has(f));
    if (orphans.length) problems.push(`files in backups/ that no backup lists: ${orphans.join(', ')}`);
    problems.push(...(await checkInvariants(server.http, ledger)).problems);
    await server.stop();
  } finally {
    raw.close();
    socket.close();
    await server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...report, statuses, kinds: kinds.size, seconds: (Date.now() - t0) / 1000, problems };
}

export function hostileFigures(r: HostileReport): string {
  return [
    `hostile input: ${r.http + r.socket} requests in ${r.seconds.toFixed(0)} s (${r.http} HTTP over every route, ${r.socket} Socket.IO messages; ${r.kinds} distinct route × case kinds)`,
    `  statuses ${JSON.stringify(r.statuses)}; 5xx: ${r.serverErrors}; crashes: ${r.crashes}; connections reset: ${r.resets}`,
    `  refused (4xx) ${r.refused}, each followed by a check of the log head; problems: ${r.problems.length}`,
  ].join('\n');
}
