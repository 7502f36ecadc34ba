import { Command, Option } from 'commander';
import type { BackupView } from '../../backups/catalog/backup-view';
import type { DrillResult } from '../../backups/reading/backup-drill';
import type { VerifyReport } from '../../backups/format/verify-backup';
import { action, confirm, connected, Ctx } from '../command-context';
import { followJob } from '../job-progress';
import { CliError, EXIT, Page, table } from '../output';

const summary = (b: BackupView) =>
  `${b.id}  ${b.createdAt}  ${b.kind}${b.label ? ` “${b.label}”` : ''}  ${b.size} bytes  ${b.counts.locations} locations  position ${b.headPosition}  verified: ${b.lastVerifyResult ?? 'never'}`;

/** Starts a backup job and follows it (or, with --no-wait, answers its ids at once). */
async function create({ client, out }: Ctx, opts: Record<string, any>): Promise<void> {
  const body = {
    compression: opts.compression,
    includeHistory: opts.history,
    ...(opts.label !== undefined ? { label: opts.label } : {}),
    ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
    ...(opts.encrypt ? { encrypt: true } : {}),
    ...(opts.storage !== undefined ? { storage: /^\d+$/.test(opts.storage) ? Number(opts.storage) : opts.storage } : {}),
  };
  const started = await client.post<{ jobId: string; backupId: string }>('/api/backups', body);
  if (!opts.wait) return out.result(started, (s) => `backup ${s.backupId} started (job ${s.jobId})`);
  await followJob(client, started.jobId, out);
  out.result(await client.get<BackupView>(`/api/backups/${started.backupId}`), summary);
}

async function verify({ client, out }: Ctx, opts: Record<string, any>, id: string): Promise<void> {
  const report = await client.post<VerifyReport & { backupId: string }>(`/api/backups/${encodeURIComponent(id)}/verify`, opts.passphrase ? { passphrase: opts.passphrase } : {});
  out.result(report, (r) => [`backup ${r.backupId}: ${r.ok ? 'ok' : 'FAILED'}`, ...r.checks.map((c) => `  ${JSON.stringify(c)}`)].join('\n'));
  if (!report.ok) throw new CliError(EXIT.FAILED, `backup ${id} failed verification: ${report.error?.code ?? 'see the checks'}`, report.error ?? undefined);
}

/**
 * A restore drill: the server restores the backup into a scratch database (never the live one) and
 * compares the restored state's hash with its manifest's. Without an id, the newest backup. A
 * failed drill ends with EXIT.FAILED.
 */
async function drill({ client, out }: Ctx, _opts: Record<string, any>, id?: string): Promise<void> {
  const backupId = id ?? (await client.get<Page<BackupView>>('/api/backups')).items[0]?.id;
  if (!backupId) throw new CliError(EXIT.NOT_FOUND, 'there is no backup to drill', { code: 'BACKUP.NOT_FOUND', message: 'no backup' });
  const result = await client.post<DrillResult>(`/api/backups/${encodeURIComponent(backupId)}/drill`);
  out.result(result, (r) => `backup ${r.backupId}: drill ${r.ok ? 'ok' : 'FAILED'} (restored state ${r.restoredStateHash ?? '-'}, manifest ${r.expectedStateHash})${r.error ? `: ${r.error}` : ''}`);
  if (!result.ok) throw new CliError(EXIT.FAILED, `backup ${backupId} failed its restore drill: ${result.error ?? 'the restored state differs from the manifest'}`, { code: 'BACKUP.DRILL_FAILED', message: result.error ?? 'state hash differs', details: result });
}

export function registerBackup(program: Command): void {
  const backup = program.command('backup').description('make, list, check, download and delete backups');

  connected(backup.command('create').description('back up now (a job; its progress is shown)'))
    .addOption(new Option('--compression <kind>', 'payload compression').choices(['gzip', 'brotli', 'none']).default('gzip'))
    .option('--label <text>', 'a name for the backup, shown in the history')
    .option('--no-history', 'the state only, without the event history')
    .option('--encrypt', "encrypt with the server's key (BACKUP_KEY), or with --passphrase")
    .option('--passphrase <text>', 'encrypt with this passphrase (never stored)')
    .option('--storage <index|url>', 'one configured storage only (its index in BACKUP_STORAGE or its URL)')
    .option('--no-wait', 'answer the job and backup ids at once')
    .action(action(create));

  connected(backup.command('list').description('the backup history, newest first'))
    .option('--refresh', 'first register backups found in the storages')
    .action(
      action(async ({ client, out }, opts) => {
        const page = await client.get<Page<BackupView>>('/api/backups', opts.refresh ? { refresh: 'true' } : undefined);
        out.result(page, ({ items }) =>
          table(
            ['id', 'created', 'kind', 'bytes', 'locations', 'position', 'encrypted', 'verified'],
            items.map((b) => [b.id, b.createdAt, b.kind, b.size, b.counts.locations, b.headPosition, b.encrypted ? 'yes' : 'no', b.lastVerifyResult]),
          ),
        );
      }),
    );

  connected(backup.command('verify <id>').description('read the whole file and check every checksum and record'))
    .option('--passphrase <text>', "an encrypted backup's passphrase, to check its content too")
    .action(action(verify));

  connected(backup.command('drill [id]').description('a restore drill: restore into a scratch database and compare with the manifest (default the newest backup)')).action(action(drill));

  connected(backup.command('download <id>').description('the backup file itself'))
    .option('-o, --output <file>', 'where to write it (`-` for stdout); default its own name in this folder')
    .action(
      action(async ({ client, out }, opts, id: string) => {
        const saved = await client.download(`/api/backups/${encodeURIComponent(id)}/download`, opts.output);
        if (saved.file !== '-') out.result(saved, (s) => `wrote ${s.file} (${s.bytes} bytes)`);
      }),
    );

  connected(backup.command('delete <id>').description('delete a backup from every storage'))
    .option('-y, --yes', 'do not ask')
    .action(
      action(async ({ client, out }, opts, id: string) => {
        const found = await client.get<BackupView>(`/api/backups/${encodeURIComponent(id)}`);
        await confirm(`Delete backup ${summary(found)}?`, opts.yes);
        await client.delete(`/api/backups/${encodeURIComponent(id)}`);
        out.result({ deleted: id }, () => `deleted backup ${id}`);
      }),
    );
}
