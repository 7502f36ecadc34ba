import { Command } from 'commander';
import { outcome } from '../command-context';

/**
 * `globe-vault serve`: the server itself, configured by the environment as `npm start` is (they
 * share src/serve.ts). The process then lives as long as the server.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the server (configured by environment variables: PORT, HOST, DATA_DIR, … see the README)')
    .action(async () => {
      outcome.serving = true;
      await (await import('../../serve')).serve().catch((error: unknown) => {
        // As src/main.ts: a bad configuration, a port in use, a held DATA_DIR: say so plainly and stop.
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
      });
    });
}
