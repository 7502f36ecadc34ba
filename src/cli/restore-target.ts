import { Command, Option } from 'commander';
import { existsSync, statSync } from 'node:fs';
import type { BackupView } from '../backups/catalog/backup-view';
import type { RestoreCounts, RestoreScope, RestoreTarget } from '../domain/restore';
import { ApiClient } from './client';
import { integer, isoTime } from './command-context';
import { CliError, EXIT, Output } from './output';

/** The options that name what a restore goes back to and what it touches (preview and run alike). */
export function withTargetOptions(cmd: Command): Command {
  return cmd
    .option('--at <time>', 'the state at this moment (ISO 8601, e.g. 2026-12-03T14:00:00Z)')
    .option('--position <n>', 'the state at this log position')
    .option('--restore-point <id>', 'the state at a named restore point')
    .option('--backup <id|file>', "a backup's state: its id, or a backup file on this machine (uploaded first)")
    .option('--passphrase <text>', "an encrypted backup's passphrase (never stored)")
    .option('--scope <items>', 'what to restore, comma-separated: dataset:<id>, settings, configurations (default everything)');
}

/** Exactly one target option, as the API's target; a --backup that names a file is uploaded first. */
export async function targetOf(client: ApiClient, out: Output, opts: Record<string, any>): Promise<RestoreTarget> {
  const given = ['at', 'position', 'restorePoint', 'backup'].filter((k) => opts[k] !== undefined);
  if (given.length !== 1) throw new CliError(EXIT.USAGE, 'name one target: --at, --position, --restore-point or --backup');
  if (opts.at !== undefined) return { at: isoTime(opts.at) };
  if (opts.position !== undefined) return { position: integer(opts.position, '--position') };
  if (opts.restorePoint !== undefined) return { restorePointId: opts.restorePoint };
  const backupId = isFile(opts.backup) ? (await uploadBackup(client, out, opts.backup, opts.passphrase)).id : opts.backup;
  return { backupId, ...(opts.passphrase ? { passphrase: opts.passphrase } : {}) };
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

async function uploadBackup(client: ApiClient, out: Output, file: string, passphrase?: string): Promise<BackupView> {
  out.note(`uploading ${file} (verified in full before it is accepted)…`);
  const backup = await client.upload<BackupView>('/api/backups/upload', file, undefined, passphrase ? { 'X-Backup-Passphrase': passphrase } : {});
  out.note(`uploaded as backup ${backup.id}`);
  return backup;
}

/** `dataset:<id>,settings,configurations` → the API's scope; absent means everything. */
export function scopeOf(raw: string | undefined): RestoreScope {
  if (!raw) return {};
  const scope: RestoreScope = {};
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (item === 'settings') scope.settings = true;
    else if (item === 'configurations') scope.configurations = true;
    else if (item.startsWith('dataset:') && item.length > 'dataset:'.length) scope.datasets = [...(scope.datasets ?? []), item.slice('dataset:'.length)];
    else throw new CliError(EXIT.USAGE, `--scope: "${item}" is not dataset:<id>, settings or configurations`);
  }
  return scope;
}

export const strategyOption = () =>
  new Option('--strategy <name>', 'how conflicts are settled').choices(['target-wins', 'keep-current', 'newest-wins', 'fail']).default('target-wins');

/** A preview's counts for people. */
export function describeCounts(counts: RestoreCounts, conflicts: number): string {
  const kinds = (['datasets', 'locations', 'configurations'] as const).map((k) => `  ${k.padEnd(15)} +${counts[k].added}  ~${counts[k].changed}  -${counts[k].removed}`);
  return [...kinds, `  ${'settings'.padEnd(15)} ~${counts.settings.changed}`, `  conflicts       ${conflicts}`].join('\n');
}
