import { Command } from 'commander';
import type { SnapshotView } from '../../snapshots/snapshot-store';
import { action, connected, Ctx } from '../command-context';
import { followJob } from '../job-progress';
import { Page, table } from '../output';

/** POSTs a job-starting route and follows the job; answers the job's result. */
async function runJob({ client, out }: Ctx, path: string, what: string): Promise<void> {
  const { jobId } = await client.post<{ jobId: string }>(path);
  const job = await followJob(client, jobId, out);
  out.result({ jobId, result: job.result }, (r) => `${what} done (job ${r.jobId}): ${JSON.stringify(r.result)}`);
}

export function registerSnapshot(program: Command): void {
  const snapshot = program.command('snapshot').description('snapshots of the state (caches for fast point-in-time reads)');

  connected(snapshot.command('create').description('take a snapshot now (a job)')).action(action((ctx) => runJob(ctx, '/api/snapshots', 'snapshot')));

  connected(snapshot.command('list').description('snapshots, newest first')).action(
    action(async ({ client, out }) => {
      const page = await client.get<Page<SnapshotView>>('/api/snapshots');
      out.result(page, ({ items }) => table(['id', 'position', 'recorded', 'reason', 'bytes', 'status'], items.map((s) => [s.id, s.position, s.recordedAt, s.reason, s.bytes, s.status])));
    }),
  );

  connected(snapshot.command('compact').description('thin snapshots by the retention policy in the settings (a job)')).action(
    action((ctx) => runJob(ctx, '/api/snapshots/compact', 'compaction')),
  );
}
