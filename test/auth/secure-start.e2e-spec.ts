import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { tempDir } from '../support/event-fixtures';
import { freePort } from '../support/child-server';

/** Runs the built server (`node dist/main.js`) until it exits; answers its exit code and output. */
async function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dir = tempDir('gv-start-');
  const { ADMIN_TOKEN: _inherited, AUTH_REQUIRED: _alsoInherited, ...parent } = process.env;
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: resolve(__dirname, '..', '..'),
    env: { ...parent, PORT: String(await freePort()), DATA_DIR: dir.dir, LOG_LEVEL: 'warn', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
    return { code, output };
  } finally {
    clearTimeout(timer);
    dir.cleanup();
  }
}

describe('secure by default', () => {
  it('a non-loopback HOST without ADMIN_TOKEN or a stored admin token refuses to start, saying why', async () => {
    const { code, output } = await runServer({ HOST: '0.0.0.0' });
    expect(code).toBe(1);
    expect(output).toContain('Refusing to start: HOST=0.0.0.0 is not a loopback address');
    expect(output).toContain('Set ADMIN_TOKEN');
    expect(output).not.toContain('listening on');
  });

  it('a short ADMIN_TOKEN is a configuration error', async () => {
    const { code, output } = await runServer({ HOST: '0.0.0.0', ADMIN_TOKEN: 'short' });
    expect(code).toBe(1);
    expect(output).toMatch(/ADMIN_TOKEN: at least 16 characters/);
    expect(output).not.toContain('"short"');
  });
});
