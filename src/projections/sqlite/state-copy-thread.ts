import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { NativeMemory } from '../../common/native-memory';

interface CopySetup {
  driver: string;
  source: string;
  dest: string;
}

/**
 * Copies the read models at `source` into `dest` on a worker thread (`VACUUM INTO` from a read-only
 * connection: a consistent copy at whatever checkpoint they are at when it starts), and answers
 * true if that checkpoint is `position`, the copy then being the state at `position`. Anything else
 * (the projection moved on meanwhile, a full disk, a failure) removes `dest` and answers false:
 * the copy is an optimisation, never needed for correctness.
 */
export async function copyStateOffThread(source: string, dest: string, position: number): Promise<boolean> {
  const setup: CopySetup = { driver: require.resolve('better-sqlite3'), source, dest };
  const copied = await new Promise<number | null>((resolve) => {
    const worker = new Worker(`(${stateCopyThread.toString()})()`, { eval: true, workerData: setup });
    worker.once('message', (checkpoint: number) => resolve(checkpoint));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => {
      resolve(null);
      NativeMemory.releaseSoon();
    });
  });
  if (copied === position) return true;
  await rm(dest, { force: true });
  return false;
}

/** Runs as the worker's source text (see log-writer-thread.ts for why): its own locals and `require` only. */
function stateCopyThread(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const setup = workerData as CopySetup;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require(setup.driver) as typeof import('better-sqlite3');
  const live = new Database(setup.source, { readonly: true });
  try {
    live.prepare('VACUUM INTO ?').run(setup.dest);
  } finally {
    live.close();
  }
  const copy = new Database(setup.dest);
  try {
    copy.pragma('journal_mode = DELETE');
    const row = copy.prepare("SELECT position FROM projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined;
    parentPort!.postMessage(row?.position ?? 0);
  } finally {
    copy.close();
  }
}
