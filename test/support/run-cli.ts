import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for runs with --json). */
  json<T = any>(): T;
}

/**
 * Runs the BUILT command line, `node dist/cli/main.js <args>`, as a script would: its own process,
 * no terminal (stdin, stdout and stderr are pipes), the environment given on top of this one's
 * without GLOBE_VAULT_URL/GLOBE_VAULT_TOKEN leaking in. dist/ is built once per test run by jest's
 * global setup (test/support/build-server.global-setup.js), as for the child servers.
 */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  const { GLOBE_VAULT_URL: _url, GLOBE_VAULT_TOKEN: _token, ...inherited } = process.env;
  const proc = spawn(process.execPath, ['dist/cli/main.js', ...args], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'warn', NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  proc.stdin.end();
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  return new Promise((resolveRun) => {
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({
        code,
        stdout,
        stderr,
        json: () => {
          try {
            return JSON.parse(stdout);
          } catch {
            throw new Error(`not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      });
    });
  });
}

/** What a person at the terminal does: once `waitFor` shows, does `meanwhile` (e.g. a write elsewhere), then types `type`. */
export interface TerminalReply {
  waitFor: string;
  meanwhile?: () => Promise<unknown>;
  type: string;
}

/**
 * The same, on a terminal: `script` (util-linux) gives the CLI a pseudo-terminal for stdin, stdout
 * and stderr, as a person at a shell has, and types `input` into it: a string at once (the terminal
 * keeps it until the CLI reads it), or a reply once the CLI shows what it waits for. Output is the
 * terminal's (both streams, with control sequences); the exit code is the CLI's (`script -e`).
 */
export function runCliOnTerminal(args: string[], input: string | TerminalReply, timeoutMs = 120_000): Promise<CliRun> {
  const quoted = [process.execPath, 'dist/cli/main.js', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { GLOBE_VAULT_URL: _url, GLOBE_VAULT_TOKEN: _token, ...inherited } = process.env;
  const proc = spawn('script', ['-qec', quoted, '/dev/null'], { cwd: ROOT, env: { ...inherited, LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let replied = typeof input === 'string';
  if (typeof input === 'string') proc.stdin.write(input);
  const seen = (c: Buffer) => {
    stdout += c.toString('utf8');
    if (replied || typeof input === 'string' || !stdout.includes(input.waitFor)) return;
    replied = true;
    void Promise.resolve(input.meanwhile?.()).then(() => proc.stdin.write(input.type));
  };
  proc.stdout.on('data', seen);
  proc.stderr.on('data', seen);
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  return new Promise((resolveRun) => {
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr: '', json: () => JSON.parse(stdout) });
    });
  });
}
