import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';

/** The repository root: the child runs the built server, `dist/main.js`, from here, exactly as `npm start` does. */
const ROOT = resolve(__dirname, '..', '..');

/** Children started by this module and not yet exited: killed by `killAllChildServers()` (each by its own pid). */
const running = new Set<ChildServer>();

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServerOptions {
  dataDir: string;
  /** Extra environment for the child (PORT, DATA_DIR and LOG_LEVEL are set by the helper; these override them). */
  env?: Record<string, string>;
  /** How long to wait for GET /api/datasets to answer 200. */
  readyTimeoutMs?: number;
}

/**
 * The real server in its own process: `node dist/main.js` with PORT=<a free
 * port>, DATA_DIR and LOG_LEVEL=warn. Unlike an in-process app it can be killed with SIGKILL, so a
 * test can prove what a crash leaves behind on disk.
 */
export class ChildServer {
  readonly url: string;
  readonly exited: Promise<ChildExit>;
  private exit: ChildExit | null = null;
  private readonly out: string[] = [];

  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
    readonly dataDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    const keep = (chunk: Buffer) => {
      this.out.push(chunk.toString('utf8'));
      if (this.out.length > 400) this.out.splice(0, this.out.length - 400);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((resolveExit) => {
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        resolveExit(this.exit);
      });
    });
  }

  /** Spawns the child and resolves once it answers GET /api/datasets with 200. */
  static async start(options: ChildServerOptions): Promise<ChildServer> {
    const port = await freePort();
    // dist/ is built once per test run by jest's global setup (test/support/build-server.global-setup.js).
    const proc = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: options.dataDir, LOG_LEVEL: 'warn', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = new ChildServer(proc, port, options.dataDir);
    running.add(child);
    try {
      await child.waitUntilReady(options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      await child.kill('SIGKILL');
      throw error;
    }
    return child;
  }

  /** A supertest client bound to this child's URL (`.get()`, `.post()`, …). */
  get http(): ReturnType<typeof request> {
    return request(this.url);
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** What the child printed (stdout and stderr, the last few hundred chunks). */
  output(): string {
    return this.out.join('');
  }

  /** Sends `signal` to this child's pid and resolves when it has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ChildExit> {
    if (this.exit) return this.exit;
    this.proc.kill(signal);
    return this.exited;
  }

  /** A clean stop (SIGTERM: Nest's shutdown hooks close the stores), SIGKILL if it takes too long. */
  async stop(timeoutMs = 15_000): Promise<ChildExit> {
    if (this.exit) return this.exit;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exit) throw new Error(`the server exited before it was ready (${JSON.stringify(this.exit)}):\n${this.output()}`);
      const ok = await fetch(`${this.url}/api/datasets`, { signal: AbortSignal.timeout(2000) })
        .then((res) => res.status === 200)
        .catch(() => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`the server did not answer GET /api/datasets within ${timeoutMs} ms:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Kills every child this module started that is still running (each by its own pid). */
export async function killAllChildServers(): Promise<void> {
  await Promise.all([...running].map((child) => child.kill('SIGKILL')));
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}
