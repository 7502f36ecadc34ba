import { Command } from 'commander';
import type { RestorePointView } from '../../recovery/restore-points.service';
import type { RestoreView } from '../../recovery/restore-history';
import type { Preview } from '../../recovery/restore.service';
import { action, confirm, connected, Ctx, integer } from '../command-context';
import { followJob } from '../job-progress';
import { Page, table } from '../output';
import { describeCounts, scopeOf, strategyOption, targetOf, withTargetOptions } from '../restore-target';
import { registerOfflineRestore } from './offline-restore';

const describePreview = (p: Preview) => `restore to position ${p.position} (now at ${p.basePosition}), target ${JSON.stringify(p.target)}:\n${describeCounts(p.counts, p.conflicts.count)}`;

async function preview({ client, out }: Ctx, opts: Record<string, any>): Promise<Preview> {
  const target = await targetOf(client, out, opts);
  return client.post<Preview>('/api/restores/preview', { target, scope: scopeOf(opts.scope) });
}

/** Preview, show it, ask (or --yes), restore with the preview's token, follow the job. */
async function run(ctx: Ctx, opts: Record<string, any>): Promise<void> {
  const { client, out } = ctx;
  const shown = await preview(ctx, opts);
  out.note(describePreview(shown));
  await confirm('Restore?', opts.yes);
  const started = await client.post<{ jobId: string; restoreId: string }>('/api/restores', {
    previewToken: shown.previewToken,
    strategy: opts.strategy,
    ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
  });
  const job = await followJob(client, started.jobId, out);
  out.result({ ...started, result: job.result }, (s) => `restore ${s.restoreId} completed (job ${s.jobId})`);
}

async function undo({ client, out }: Ctx, opts: Record<string, any>, restoreId: string): Promise<void> {
  const done = await client.get<RestoreView>(`/api/restores/${encodeURIComponent(restoreId)}`);
  await confirm(`Undo restore ${done.id} (back to position ${done.basePosition})?`, opts.yes);
  const started = await client.post<{ jobId: string; restoreId: string }>(`/api/restores/${encodeURIComponent(restoreId)}/undo`);
  const job = await followJob(client, started.jobId, out);
  out.result({ ...started, result: job.result }, (s) => `undone by restore ${s.restoreId} (job ${s.jobId})`);
}

export function registerRestore(program: Command): void {
  const restore = program
    .command('restore')
    .description('point-in-time recovery through a server; or, with --data-dir, a disaster restore with no server running')
    .enablePositionalOptions();
  registerOfflineRestore(restore);

  connected(withTargetOptions(restore.command('preview').description('what a restore would add, change and remove; writes nothing'))).action(
    action(async (ctx, opts) => ctx.out.result(await preview(ctx, opts), describePreview)),
  );

  connected(withTargetOptions(restore.command('run').description('preview, confirm, then restore (a job)')))
    .addOption(strategyOption())
    .option('-y, --yes', 'do not ask (scripts)')
    .action(action(run));

  connected(restore.command('undo <restoreId>').description('restore the state just before that restore began'))
    .option('-y, --yes', 'do not ask (scripts)')
    .action(action(undo));

  connected(restore.command('list').description('the restore history, newest first'))
    .option('--limit <n>', 'at most this many (1-500)', '100')
    .action(
      action(async ({ client, out }, opts) => {
        const page = await client.get<Page<RestoreView>>('/api/restores', { limit: integer(opts.limit, '--limit') });
        out.result(page, ({ items }) =>
          table(
            ['id', 'started', 'actor', 'target', 'scope', 'base', 'undo of'],
            items.map((r) => [r.id, r.startedAt, r.actor, JSON.stringify(r.target), JSON.stringify(r.scope), r.basePosition, r.undoOf]),
          ),
        );
      }),
    );

  const point = restore.command('point').description('restore points: named moments to restore to (--restore-point <id>)');
  connected(point.command('create <name>').description('name this moment'))
    .option('--description <text>', 'why it matters')
    .action(
      action(async ({ client, out }, opts, name: string) => {
        const created = await client.post<RestorePointView>('/api/restore-points', { name, ...(opts.description ? { description: opts.description } : {}) });
        out.result(created, (p) => `restore point ${p.id} "${p.name}" at position ${p.position}`);
      }),
    );
  connected(point.command('list').description('restore points, newest first'))
    .option('--limit <n>', 'at most this many (1-500)', '100')
    .action(
      action(async ({ client, out }, opts) => {
        const page = await client.get<Page<RestorePointView>>('/api/restore-points', { limit: integer(opts.limit, '--limit') });
        out.result(page, ({ items }) => table(['id', 'name', 'position', 'created', 'actor', 'automatic'], items.map((p) => [p.id, p.name, p.position, p.createdAt, p.actor, p.automatic ? 'yes' : 'no'])));
      }),
    );
}
