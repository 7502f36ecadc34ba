import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Compression } from './backup-manifest';
import { checksumMismatch, recordNotWritable } from './backup-format-errors';
import { PayloadKey } from './payload-key';
import { NdjsonFacts, NdjsonFailure } from './ndjson-check';

/** Chunks posted and not yet checked before `push` waits: ~4 MiB of NDJSON at the writer's 64 KiB batches. */
const MAX_IN_FLIGHT = 64;
/**
 * The thread's heap: it holds at most MAX_IN_FLIGHT chunks and the round trip's lag (16 MiB), so
 * this only stops V8 from letting garbage pile up to hundreds of MiB during a big backup (peak RSS).
 */
const MAX_OLD_GENERATION_MB = 128;

/**
 * Under ts (swc-node in the server run from source, @swc/jest in tests) the worker runs the .ts file
 * through swc-node; built, the .js beside this one.
 */
const WORKER = __filename.endsWith('.ts')
  ? { file: join(__dirname, 'ndjson-check.worker.ts'), execArgv: ['-r', '@swc-node/register'] }
  : { file: join(__dirname, 'ndjson-check.worker.js'), execArgv: [] };

export interface CheckThreadData {
  includesHistory: boolean;
  compression: Compression;
  key: PayloadKey | null;
}
export type ToCheckThread = { plain: Uint8Array } | { stored: Uint8Array } | 'end';
type FromCheckThread =
  | { kind: 'checked' }
  | { kind: 'failed'; failure: NdjsonFailure }
  | { kind: 'end'; result: NdjsonFacts | NdjsonFailure; undecodable: string | null };

/**
 * Runs NdjsonCheck and the PayloadRoundTrip on a worker thread beside the writer: parsing,
 * validating and hashing every record, and decoding the stored bytes back, overlap with producing
 * the next records (on a second core) instead of adding to the writer's work on the main thread.
 * Chunks are copied to the worker in order; `push` waits while MAX_IN_FLIGHT NDJSON chunks are
 * unchecked (memory stays bounded) and throws BACKUP.RECORD_NOT_WRITABLE as soon as the worker found
 * a bad line. `finish` resolves only once every line was checked and every stored byte decoded back
 * to the NDJSON (else BACKUP.CHECKSUM_MISMATCH). Call `close` on every outcome (it ends the worker).
 */
export class NdjsonCheckThread {
  private readonly worker: Worker;
  private readonly result: Promise<NdjsonFacts>;
  private inFlight = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(data: CheckThreadData) {
    this.worker = new Worker(WORKER.file, { workerData: data, execArgv: WORKER.execArgv, resourceLimits: { maxOldGenerationSizeMb: MAX_OLD_GENERATION_MB } });
    this.result = new Promise<NdjsonFacts>((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= error;
        this.wakeUp();
        reject(this.failure);
      };
      this.worker.on('message', (message: FromCheckThread) => {
        if (message.kind === 'checked') this.inFlight -= 1;
        else if (message.kind === 'failed') this.failure ??= asError(message.failure);
        else if (!('stateHash' in message.result)) fail(asError(message.result));
        else if (message.undecodable) fail(checksumMismatch(message.undecodable, {}));
        else resolve(message.result);
        this.wakeUp();
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`the backup check thread exited (code ${code}) before it finished`)));
    });
    this.result.catch(() => undefined);
  }

  /** Posts a copy of an NDJSON chunk to be checked; `chunk` stays the caller's. */
  async push(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.worker.postMessage({ plain: chunk } satisfies ToCheckThread);
    this.inFlight += 1;
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
  }

  /** Posts a copy of stored bytes made from the NDJSON pushed so far, for the round trip. */
  stored(chunk: Buffer): void {
    this.worker.postMessage({ stored: chunk } satisfies ToCheckThread);
  }

  /** The facts of every chunk pushed, once all of them are checked; rejects with the first failure. */
  finish(): Promise<NdjsonFacts> {
    this.worker.postMessage('end' satisfies ToCheckThread);
    return this.result;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

const asError = (f: NdjsonFailure) => recordNotWritable(f.record, f.path, f.message);
