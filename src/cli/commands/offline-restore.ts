import { Command } from 'commander';
import { action } from '../command-context';
import { CliError, EXIT } from '../output';
import { strategyOption } from '../restore-target';

/** The options of `restore` itself: the offline restore (its subcommands talk to a server). */
export function registerOfflineRestore(restore: Command): void {
  restore
    .option('--data-dir <dir>', 'offline: restore into this DATA_DIR, with no server running')
    .option('--backup <file|url>', 'offline: a backup file, or a storage URL (s3://…, rclone:…, file:<dir>) optionally ending in a backup object name')
    .option('--at <time>', 'offline: then restore to this moment of the backup’s (or the archive’s) history')
    .option('--position <n>', 'offline: then restore to this log position')
    .option('--passphrase <text>', "an encrypted backup's passphrase (never stored)")
    .addOption(strategyOption())
    .option('-y, --yes', 'do not ask (scripts)')
    .option('--json', 'print the answer as JSON')
    .action(
      action(async ({ out }, opts) => {
        if (opts.dataDir === undefined) throw new CliError(EXIT.USAGE, 'restore: give a subcommand (preview, run, undo, list), or --data-dir for an offline restore (see restore --help)');
        // Loaded only here: the application (Nest, the stores, the storage drivers) is heavy, and no other command needs it in-process.
        await (await import('./offline-run')).offlineRestore(out, opts);
      }),
    );
}
