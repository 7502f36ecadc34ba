import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/common/seeded-random';
import { createDataset, csv, waitForJob } from '../support/app-harness';
import { filesIn } from '../backups/backup-helpers';
import { ChildServer } from '../support/child-server';
import { GlobeWorkload, ONE_EVENT_OPS } from './support/globe-workload';
import { checkInvariants } from './support/server-invariants';
import { SmallDisk } from './support/small-disk';
import { WriteLedger } from './support/write-ledger';
import { RELIABILITY_SERVER_ENV } from './support/server-env';

/**
 * Disk full, the scenario (quick in disk-full.e2e-spec.ts, the same in `npm run bench --
 * reliability`): the real server with DATA_DIR and its backup storage each on a small tmpfs. First
 * the backup storage fills, then DATA_DIR; in each state every write, import, backup, upload and
 * snapshot is tried: each must answer a clean error (4xx or 507, never 500 or another 5xx), reads
 * must keep answering 200, nothing partial may be listed (every listed backup verifies, no
 * partial file in storage), and the process must stay up. Then the space returns: writes,
 * imports and backups succeed again and every guarantee holds (acknowledged writes in the log,
 * rebuild = live).
 */

export interface DiskFullOptions {
  dataMegabytes: number;
  backupMegabytes: number;
  seedRows: number;
  seed: number;
}

export interface DiskFullReport {
  skipped?: string;
  attempts: Record<string, Record<string, number>>;
  readsOk: number;
  problems: string[];
  seconds: number;
}

const READS = ['/api/datasets', '/api/locations?limit=100', '/api/settings', '/api/state', '/api/backups', '/api/audit?limit=10', '/api/jobs'];

export async function runDiskFullScenario(options: DiskFullOptions): Promise<DiskFullReport> {
  const t0 = Date.now();
  const base = mkdtempSync(join(tmpdir(), 'gv-reliability-disk-'));
  const disks: SmallDisk[] = [];
  const report: DiskFullReport = { attempts: {}, readsOk: 0, problems: [], seconds: 0 };
  let server: ChildServer | undefined;
  try {
    for (const [name, mb] of [['data', options.dataMegabytes], ['backups', options.backupMegabytes]] as const) {
      const disk = SmallDisk.mount(join(base, name), mb);
      if (typeof disk === 'string') return { ...report, skipped: `${disk}: the disk-full harness needs root and permission to mount a tmpfs` };
      disks.push(disk);
    }
    const [data, backups] = disks;
    // copies waiting for room are retried at least every 2 s, so the run sees those retries on a full disk
    const env = { ...RELIABILITY_SERVER_ENV, BACKUP_STORAGE: `file:${backups.dir}`, BACKUP_COPY_RETRY_MAX_MS: '2000' };
    server = await ChildServer.start({ dataDir: data.dir, env, readyTimeoutMs: 120_000 });
    const http = () => server!.http;
    const ledger = new WriteLedger();
    const workload = new GlobeWorkload(http, seededRandom(options.seed), ledger, ONE_EVENT_OPS, `disk${options.seed}`);
    const seedSet = await createDataset(http(), { name: 'Disk seed' });
    const imported = await http().post(`/api/datasets/${seedSet.id}/import`).query({ fileName: 'seed.csv' }).set('Content-Type', 'text/csv').send(csv(options.seedRows));
    await waitForJob(http(), imported.body.jobId, 120_000);
    const firstBackup = await http().post('/api/backups').send({ includeHistory: false });
    const backupFile = (await waitForJob(http(), firstBackup.body.jobId, 120_000)).state === 'completed' ? (await http().get(`/api/backups/${firstBackup.body.backupId}/download`).buffer(true)).body : Buffer.from('');
    await workload.refresh();

    /** Every kind of write once, each answer judged; reads between them. */
    const tryEverything = async (phase: string, { roomReturned = false } = {}) => {
      const tally: Record<string, number> = {};
      const note = (what: string, status: number, body: any) => {
        tally[status] = (tally[status] ?? 0) + 1;
        if (status < 500 || (status === 507 && !roomReturned)) return;
        // a 500, or a 507 once the room is back, says little to the client: the cause is in the server's log
        const tail = status === 500 || status === 507 ? `\n${server!.output().slice(-2000)}` : '';
        report.problems.push(`${phase}: ${what} answered ${status} ${JSON.stringify(body)}${tail}`);
      };
      const job = async (what: string, res: { status: number; body: any }) => {
        note(what, res.status, res.body);
        if (res.status !== 202) return;
        const done = await waitForJob(http(), res.body.jobId, 120_000);
        if (done.state === 'failed' && (!done.error?.code || done.error.code === 'INTERNAL')) report.problems.push(`${phase}: the ${what} job failed without a code: ${JSON.stringify(done.error)}`);
      };
      for (const op of ['createDataset', 'addLocation', 'patchLocation', 'patchSettings', 'putConfiguration', 'patchDataset'] as const) {
        const before = workload.serverErrors.length;
        await workload[op]();
        for (const e of workload.serverErrors.slice(before)) note(e.what, e.status, e.body);
        if (workload.serverErrors.length === before) tally['no 5xx'] = (tally['no 5xx'] ?? 0) + 1;
      }
      workload.serverErrors.length = 0;
      await job('import', await http().post(`/api/datasets/${seedSet.id}/import`).query({ fileName: 'more.csv' }).set('Content-Type', 'text/csv').send(csv(options.seedRows, options.seedRows)));
      await job('backup', await http().post('/api/backups').send({ includeHistory: true }));
      await job('snapshot', await http().post('/api/snapshots'));
      const uploaded = await http().post('/api/backups/upload').set('Content-Type', 'application/octet-stream').send(backupFile);
      note('upload', uploaded.status, uploaded.body);
      if (uploaded.status === 201) ledger.backupDone(uploaded.body.id, `${phase}: upload`);
      const restorePoint = await http().post('/api/restore-points').send({ name: phase });
      note('restore point', restorePoint.status, restorePoint.body);
      for (const url of READS) {
        const res = await http().get(url);
        if (res.status === 200) report.readsOk++;
        else report.problems.push(`${phase}: GET ${url} answered ${res.status} ${JSON.stringify(res.body)}`);
      }
      if (!server!.alive) report.problems.push(`${phase}: the server died:\n${server!.output().slice(-3000)}`);
      // nothing partial: whatever is listed verifies (a verify that cannot record its result on a
      // full disk is judged like any write; checkInvariants verifies all again once space returns)
      for (const b of (await http().get('/api/backups')).body.items as any[]) {
        const verified = await http().post(`/api/backups/${b.id}/verify`).send({});
        note(`verify ${b.id}`, verified.status, verified.body);
        if (verified.status === 200 && !verified.body.ok) report.problems.push(`${phase}: listed backup ${b.id} does not verify: ${JSON.stringify(verified.body.error)}`);
      }
      // a partial file that stays: one seen once may be a copy being written (the queue retries on its own)
      const partials = () => filesIn(backups.dir).filter((f) => f.startsWith('.partial-'));
      const seen = partials();
      if (seen.length) await new Promise((r) => setTimeout(r, 5000));
      const left = partials().filter((f) => seen.includes(f));
      if (left.length) report.problems.push(`${phase}: partial files left in backup storage: ${left.join(', ')}`);
      report.attempts[phase] = tally;
    };

    /**
     * A backup made while its storage is full waits in the copy queue; its timer retries it on its
     * own. Waits until every waiting copy was due and the timer had its pass, so a retry on a full
     * DATA_DIR (which cannot record its attempt) happens while the server is watched.
     */
    const waitForCopyRetries = async () => {
      const waiting = ((await http().get('/api/backups')).body.items as any[]).flatMap((b) => b.copies as any[]).filter((c) => c.state === 'pending' || c.state === 'failed');
      const lastDue = Math.max(0, ...waiting.map((c) => Date.parse(c.nextAttemptAt)));
      await new Promise((r) => setTimeout(r, Math.min(Math.max(0, lastDue - Date.now()), 20_000) + 1500));
    };

    backups.fill();
    await tryEverything('backup storage full');
    data.fill();
    await waitForCopyRetries();
    await tryEverything('data and backup storage full');
    data.free();
    backups.free();
    const acknowledged = ledger.acknowledged;
    await tryEverything('space returned', { roomReturned: true });
    if (ledger.acknowledged - acknowledged < 6) report.problems.push(`space returned, yet writes still fail: ${JSON.stringify(report.attempts['space returned'])}`);
    const backup = await http().post('/api/backups').send({});
    if (backup.status !== 202 || (await waitForJob(http(), backup.body.jobId, 120_000)).state !== 'completed') report.problems.push('space returned, yet a backup does not complete');
    report.problems.push(...(await checkInvariants(http(), ledger)).problems.map((p) => `after recovery: ${p}`));
    await server.stop();
  } catch (error) {
    // A failure of the client (a reset, a hang-up) says little: the server's own account goes with it.
    if (error instanceof Error) {
      const tail = `\n--- server output (tail) ---\n${server?.output().slice(-4000) ?? '(not started)'}`;
      // jest prints the stack, which holds the message as it was when the error was made
      error.message += tail;
      error.stack += tail;
    }
    throw error;
  } finally {
    await server?.kill('SIGKILL');
    for (const disk of disks) disk.unmount();
    rmSync(base, { recursive: true, force: true });
    report.seconds = (Date.now() - t0) / 1000;
  }
  return report;
}

export function diskFullFigures(r: DiskFullReport): string {
  if (r.skipped) return `disk full: SKIPPED — ${r.skipped}`;
  return [
    `disk full: ${Object.entries(r.attempts)
      .map(([phase, tally]) => `${phase}: ${JSON.stringify(tally)}`)
      .join('; ')}`,
    `  reads answered 200: ${r.readsOk}; problems: ${r.problems.length}; ${r.seconds.toFixed(0)} s`,
  ].join('\n');
}
