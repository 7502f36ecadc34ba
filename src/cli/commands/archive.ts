import { Command } from 'commander';
import type { ArchiveStatus } from '../../archive/archiver';
import type { BackupHealth } from '../../backups/backup-health';
import { action, connected } from '../command-context';

const describe = (a: ArchiveStatus | null) =>
  a === null
    ? 'continuous archiving is off (ARCHIVE_STORAGE unset)'
    : [
        `storage     ${a.storage}${a.encryption ? ` (${a.encryption})` : ''}, epoch ${a.epoch ?? '-'}`,
        `archived    position ${a.archivedPosition} of ${a.headPosition}: ${a.lag.positions} behind, ${Math.round(a.lag.seconds)} s`,
        `restorable  ${a.restorable.oldest ?? '-'} … ${a.restorable.newest ?? '-'}`,
        `pending     ${a.pending.positions} positions${a.pending.retryAt ? `, retry at ${a.pending.retryAt}` : ''}`,
        `uploads     ${a.uploads}, last ${a.lastUploadAt ?? 'never'}`,
        ...(a.lastError ? [`last error  ${a.lastError.code}: ${a.lastError.message} (${a.lastError.at})`] : []),
      ].join('\n');

export function registerArchive(program: Command): void {
  const archive = program.command('archive').description('the continuous archive of the log');
  connected(archive.command('status').description('lag, restorable window, pending uploads, last error')).action(
    action(async ({ client, out }) => {
      const health = await client.get<BackupHealth>('/api/backups/health');
      out.result(health.archive, describe);
    }),
  );
}
