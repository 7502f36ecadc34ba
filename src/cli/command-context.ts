import { Command, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import { ApiClient, DEFAULT_URL } from './client';
import { CliError, EXIT, EXIT_CODES_HELP, ExitCode, Output } from './output';

export interface Ctx {
  client: ApiClient;
  out: Output;
}

/** The options every command that talks to a server takes (after its name: `globe-vault backup list --json`). */
export function connected(cmd: Command): Command {
  return cmd
    .addOption(new Option('--url <url>', 'the server').env('GLOBE_VAULT_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'an API token (gv_…)').env('GLOBE_VAULT_TOKEN'))
    .option('--json', 'print the answer as JSON (errors too, on stderr)')
    .addHelpText('after', EXIT_CODES_HELP);
}

/** The exit code the process ends with (set by `action`, read by main); `serving` while `serve` runs the server. */
export const outcome: { code: ExitCode; serving: boolean } = { code: EXIT.OK, serving: false };

/**
 * Wraps a command's handler: builds its client and output from the options, runs it, and turns
 * whatever it throws into a message on stderr and the exit code that names it.
 */
export function action<A extends unknown[]>(handler: (ctx: Ctx, opts: Record<string, any>, ...args: A) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    // Its own options only: every option a command reads is declared on it (see `connected`), and
    // commander's optsWithGlobals would let a parent's default (restore --strategy) override them.
    const opts = cmd.opts();
    const out = new Output(Boolean(opts.json));
    const client = new ApiClient({ url: opts.url ?? DEFAULT_URL, token: opts.token || undefined });
    try {
      await handler({ client, out }, opts, ...(args.slice(0, -2) as A));
    } catch (error) {
      outcome.code = out.failure(error);
    }
  };
}

/**
 * Asks before a change that cannot be taken back without another one (a restore, a deletion):
 * `--yes` answers for scripts; without a terminal to ask on and without --yes the change is refused
 * (EXIT.REFUSED), never made silently.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CliError(EXIT.REFUSED, 'not confirmed: there is no terminal to ask on; pass --yes to confirm from a script', {
      code: 'CLI.NOT_CONFIRMED',
      message: 'pass --yes to confirm without a terminal',
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError(EXIT.REFUSED, 'not confirmed', { code: 'CLI.NOT_CONFIRMED', message: 'answered no' });
  } finally {
    rl.close();
  }
}

/** An option's value as an ISO time with its offset (what the API takes); a local time without one is read in this machine's zone. */
export function isoTime(value: string, name = '--at'): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new CliError(EXIT.USAGE, `${name}: "${value}" is not a time (e.g. 2026-12-03T14:00:00Z)`);
  return new Date(ms).toISOString();
}

export function integer(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(EXIT.USAGE, `${name}: "${value}" is not a whole number`);
  return Number(value);
}
