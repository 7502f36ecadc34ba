import { Command } from 'commander';
import type { ArchiveStatus } from '../../archive/archive-status';
import type { Promotion } from '../../archive/archive.service';
import type { FollowerStatus } from '../../archive/follower';
import type { BackupHealth } from '../../backups/reading/backup-health';
import { action, confirm, connected } from '../command-context';

const describeArchive = (a: ArchiveStatus | null) =>
  a === null
    ? 'continuous archiving is off here (ARCHIVE_STORAGE unset, or this instance follows)'
    : [
        `storage     ${a.storage}${a.encryption ? ` (${a.encryption})` : ''}, epoch ${a.epoch ?? '-'}`,
        `archived    position ${a.archivedPosition} of ${a.headPosition}: ${a.lag.positions} behind, ${Math.round(a.lag.seconds)} s`,
        `restorable  ${a.restorable.oldest ?? '-'} … ${a.restorable.newest ?? '-'}`,
        `pending     ${a.pending.positions} positions${a.pending.retryAt ? `, retry at ${a.pending.retryAt}` : ''}`,
        `uploads     ${a.uploads}, last ${a.lastUploadAt ?? 'never'}`,
        ...(a.lastError ? [`last error  ${a.lastError.code}: ${a.lastError.message} (${a.lastError.at})`] : []),
      ].join('\n');

const describeFollower = (f: FollowerStatus) =>
  [
    `following   ${f.storage}, epoch ${f.epoch ?? '-'}${f.waitingForEpoch !== null ? ` (waiting for epoch ${f.waitingForEpoch})` : ''}`,
    `applied     position ${f.appliedPosition} of ${f.archivedPosition}: ${f.lag.positions} behind, ${Math.round(f.lag.seconds)} s`,
    `last poll   ${f.lastPollAt ?? 'never'}, last applied ${f.lastAppliedAt ?? 'never'}`,
  ].join('\n');

/** GET /api/backups/health as it travels: its archive and follower parts are the archive's own full reports (backups type only what they read of them). */
type HealthOnTheWire = Omit<BackupHealth, 'archive' | 'follower'> & { archive: ArchiveStatus | null; follower: FollowerStatus | null };

export function registerArchive(program: Command): void {
  const archive = program.command('archive').description('the continuous archive of the log, and followers of it');

  connected(archive.command('status').description('lag, restorable window, pending uploads, last error; a follower’s lag')).action(
    action(async ({ client, out }) => {
      const { archive: status, follower } = await client.get<HealthOnTheWire>('/api/backups/health');
      out.result({ archive: status, follower }, (h) => [describeArchive(h.archive), ...(h.follower ? [describeFollower(h.follower)] : [])].join('\n'));
    }),
  );

  connected(archive.command('promote').description('make a follower (ARCHIVE_FOLLOW) the writer: it catches up, then archives under a new epoch'))
    .option('-y, --yes', 'do not ask (scripts)')
    .action(
      action(async ({ client, out }, opts) => {
        await confirm(`Promote the follower at ${client.url} to the writer? The instance it followed is fenced for good.`, opts.yes);
        const promoted = await client.post<Promotion>('/api/archive/promote');
        out.result(promoted, (p) => `promoted: writes under epoch ${p.epoch} from position ${p.headPosition}${p.continues ? ` (continues epoch ${p.continues.epoch} at ${p.continues.position})` : ''}`);
      }),
    );
}
