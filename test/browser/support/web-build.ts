import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const WEB = join(ROOT, 'web');
const INDEX = join(WEB, 'dist', 'index.html');
const LOCK = join(WEB, '.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// The UI also bundles the typed client's runtime code (the points decoder, clients/globe-vault-client/globe-points.ts).
const CLIENT = join(ROOT, 'clients', 'globe-vault-client');

const upToDate = () =>
  existsSync(INDEX) &&
  statSync(INDEX).mtimeMs >=
    Math.max(newestSource(join(WEB, 'src')), newestSource(CLIENT), statSync(join(WEB, 'index.html')).mtimeMs, statSync(join(WEB, 'vite.config.ts')).mtimeMs);

/**
 * Makes sure web/dist holds a build of the current web/src (the app serves it at /): builds with
 * Vite when it is missing or older than a source file. Browser specs may run in parallel workers,
 * so one builds under a lock directory (mkdir is atomic) while the others wait for it.
 */
export async function ensureWebBuild(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!upToDate()) {
    try {
      mkdirSync(LOCK);
    } catch {
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for another worker's web build (remove ${LOCK} if it is stale)`);
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (upToDate()) return;
      const run = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
      if (run.status !== 0) throw new Error(`vite build failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
