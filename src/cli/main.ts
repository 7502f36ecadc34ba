#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../backups/app-version';
import { outcome } from './command-context';
import { registerArchive } from './commands/archive';
import { registerAudit } from './commands/audit';
import { registerBackup } from './commands/backup';
import { registerRestore } from './commands/restore';
import { registerSchedules } from './commands/schedules';
import { registerServe } from './commands/serve';
import { registerSnapshot } from './commands/snapshot';
import { registerTokens } from './commands/tokens';
import { registerTransfer } from './commands/transfer';
import { EXIT, EXIT_CODES_HELP } from './output';

/**
 * `globe-vault`: the server (`serve`) and the commands that drive one over HTTP and its progress
 * socket, plus the offline disaster restore (`restore --data-dir`). Every command ends with an
 * exit code from ./output.ts, whatever happened.
 */
function program(): Command {
  const root = new Command('globe-vault')
    .description('Globe Vault: the event-sourced data, audit, backup and point-in-time-recovery service of the Globe app')
    .version(APP_VERSION)
    // Options belong to the command they follow: `restore --at` (offline) and `restore preview --at` are each their own.
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\nServer: --url or GLOBE_VAULT_URL (default http://127.0.0.1:3000), --token or GLOBE_VAULT_TOKEN.\n${EXIT_CODES_HELP}`)
    .exitOverride();
  registerServe(root);
  registerBackup(root);
  registerSchedules(root);
  registerRestore(root);
  registerAudit(root);
  registerSnapshot(root);
  registerTransfer(root);
  registerTokens(root);
  registerArchive(root);
  return root;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and --version end with 0; every other complaint of the parser is a usage error.
    outcome.code = error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  // `serve` keeps the process alive through its server; every other command ends here, once its
  // answer is written (a pipe takes stdout asynchronously), whatever keep-alive socket lingers.
  if (outcome.serving) return;
  process.stdout.write('', () => process.exit(outcome.code));
}

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = EXIT.ERROR;
});
