import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { createGzip } from 'node:zlib';
import { digestStateFile } from '../projections/sqlite/database-state';
import type { StateCounts } from '../projections/target-state';

export interface CompressedCopy {
  stateHash: string;
  counts: StateCounts;
  /** sha256 of the compressed file, checked on every later use. */
  fileSha256: string;
}

/**
 * Hashes and counts the state a stripped copy holds (its own read-only connection), then gzips it
 * into `gzPath` and fsyncs that. The heavy part of a snapshot (seconds per million rows), so it runs
 * in a worker thread (snapshot-file.worker.ts); nothing else has the copy open meanwhile.
 */
export async function compressCopy(copyPath: string, gzPath: string): Promise<CompressedCopy> {
  const { stateHash, counts } = digestStateFile(copyPath);
  return { stateHash, counts, fileSha256: await gzipWithHash(copyPath, gzPath) };
}

const IDLE_MS = 30_000;

interface Request {
  id: number;
  copyPath: string;
  gzPath: string;
}
export type Reply = { id: number; result: CompressedCopy } | { id: number; error: string };

/**
 * compressCopy in a worker thread, so the event loop stays free while a million rows are hashed
 * (the API froze for the whole snapshot before). One worker per process, started on first use and
 * ended after IDLE_MS without work; it never keeps the process alive. Under jest the sources are
 * TypeScript, run in the worker through @swc-node/register; built, the worker is the compiled .js.
 */
export class SnapshotCompressor {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (r: CompressedCopy) => void; reject: (e: Error) => void }>();
  private lastId = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  compress(copyPath: string, gzPath: string): Promise<CompressedCopy> {
    const worker = (this.worker ??= this.start());
    if (this.idleTimer) clearTimeout(this.idleTimer);
    worker.ref();
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, copyPath, gzPath } satisfies Request);
    });
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const source = __filename.endsWith('.ts');
    const worker = new Worker(join(__dirname, `snapshot-file.worker.${source ? 'ts' : 'js'}`), {
      execArgv: source ? ['-r', '@swc-node/register'] : [],
    });
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if ('error' in reply) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply.result);
      if (this.waiting.size === 0) this.idle(worker);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`snapshot worker exited (code ${code})`)));
    return worker;
  }

  private idle(worker: Worker): void {
    worker.unref();
    this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.idleTimer.unref();
  }
}

/** gzip `from` into `to`, fsync it, and answer the sha256 of the compressed bytes. */
async function gzipWithHash(from: string, to: string): Promise<string> {
  const hash = createHash('sha256');
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), createGzip({ level: 1 }), hasher, createWriteStream(to));
  const handle = await open(to, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
