import { link, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { NativeMemory } from '../../common/native-memory';
import { BackupManifest } from '../format/backup-manifest';
import { PreparationPaths } from './backup-preparation';
import { ServerKey } from '../../config/server-keys';

export interface PreparationData {
  /** The file to read: a link the thread's owner made for it alone (see BackupPreparationThread.start); the worker opens and closes it itself. */
  file: string;
  passphrase?: string;
  /** The server's keys (structured-cloned: each key arrives as a Uint8Array). */
  keys: readonly ServerKey[];
  paths: PreparationPaths;
}

export type PreparationResult = { ok: true; manifest: string; sha256: string; historyStaged: boolean } | { ok: false; message: string };

/** What the worker posts: `opened` as soon as it holds the file open (its link may go), then its result, last. */
export type PreparationMessage = { opened: true } | { result: PreparationResult };

/** What was prepared, as files the receiver then owns. */
export interface PreparedFiles {
  statePath: string;
  historyPath: string | null;
}

/** Under ts (swc-node, @swc/jest) the worker runs the .ts file through swc-node; built, the .js beside this one. */
const WORKER = __filename.endsWith('.ts')
  ? { file: join(__dirname, 'backup-preparation.worker.ts'), execArgv: ['-r', '@swc-node/register'] }
  : { file: join(__dirname, 'backup-preparation.worker.js'), execArgv: [] };

/**
 * The heap the preparation may use: it holds a batch of records and a few MiB of staged rows. A
 * thread that needs more dies, and the backup is then simply not prepared (the preview reads the file).
 */
const MAX_OLD_GENERATION_MB = 128;

/**
 * Prepares an uploaded backup for its restore on a worker thread (BackupPreparation, in
 * backup-preparation.worker.ts) while the main thread verifies the same file, so that reading it
 * twice costs no more time than reading it once. What the thread made is only handed out by
 * `prepared`, for the manifest the verification accepted: the thread must have read that very
 * manifest and stored bytes of that sha256 (so it read the bytes the verification checked). In
 * every other case, and on `cancel`, its files are removed.
 *
 * The file is read through a hard link of its own, `<statePath>.source`, so the caller may remove
 * its name at any time (an upload's staged file goes as soon as the request is answered, while the
 * worker may still be reading). The link lives only from its making to the worker's open: the
 * worker says `opened` once it holds the file, and the link is removed then (an open file stays
 * readable on Linux once its last name is gone); on the worker's error, exit or termination before
 * that it is removed too, so no path leaves it in DATA_DIR/tmp. The worker opens that link itself,
 * as a FileHandle (closed with the worker's environment even when it is terminated), and is the
 * only owner of its descriptor: a descriptor opened here and closed here after the worker's end
 * was also closed by the worker whenever it stopped reading early (a file stream closes its
 * descriptor when destroyed, whatever `autoClose` says), and the second close threw EBADF outside
 * any request, which ended the process, or closed a descriptor the number had been given to meanwhile.
 */
export class BackupPreparationThread {
  private readonly outcome: Promise<PreparationResult>;
  /** Resolves once the worker has answered (or ended) and its link is removed; never rejects. */
  private readonly ended: Promise<void>;
  private unlinking: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly paths: PreparationPaths,
    private readonly link: string,
  ) {
    this.outcome = new Promise<PreparationResult>((resolve) => {
      worker.on('message', (message: PreparationMessage) => {
        if ('opened' in message) return void this.unlink();
        resolve(message.result);
        // The answer is its last act (its files are closed by then); the thread is then ended
        // rather than left to wind down, since a stream it gave up on early can keep it alive.
        void worker.terminate();
      });
      worker.once('error', (error) => resolve({ ok: false, message: error.message }));
      worker.once('exit', (code) => resolve({ ok: false, message: `the preparation thread exited (${code})` }));
    });
    // Once it has answered or ended the worker has opened the link, or never will: the name goes
    // (if its `opened` did not remove it already).
    this.ended = this.outcome.then(() => this.unlink()).finally(() => NativeMemory.releaseSoon());
  }

  /** Starts reading `file`, which must be in the folder of `paths.statePath` (DATA_DIR/tmp: a hard link cannot cross file systems). */
  static async start(file: string, options: { passphrase?: string; keys: readonly ServerKey[]; paths: PreparationPaths }): Promise<BackupPreparationThread> {
    const input = `${options.paths.statePath}.source`;
    await link(file, input);
    const data: PreparationData = { file: input, ...options };
    try {
      const worker = new Worker(WORKER.file, { workerData: data, execArgv: WORKER.execArgv, resourceLimits: { maxOldGenerationSizeMb: MAX_OLD_GENERATION_MB } });
      return new BackupPreparationThread(worker, options.paths, input);
    } catch (error) {
      await rm(input, { force: true });
      throw error;
    }
  }

  /** The files, once ready and the worker has ended, if they were made from the file `manifest` describes; null (and removed) otherwise. */
  async prepared(manifest: BackupManifest): Promise<PreparedFiles | null> {
    const result = await this.outcome;
    await this.ended;
    if (result.ok && result.manifest === JSON.stringify(manifest) && result.sha256 === manifest.payload.sha256) {
      return { statePath: this.paths.statePath, historyPath: result.historyStaged ? this.paths.historyPath : null };
    }
    await this.removeFiles();
    return null;
  }

  /** Stops the worker; resolves once it has exited and every file it made or read is removed. */
  async cancel(): Promise<void> {
    await this.worker.terminate();
    await this.ended;
    await this.removeFiles();
  }

  /** Removes the link (once; a failure is ignored: DATA_DIR/tmp is emptied at start-up). */
  private unlink(): Promise<void> {
    this.unlinking ??= rm(this.link, { force: true }).catch(() => undefined);
    return this.unlinking;
  }

  private async removeFiles(): Promise<void> {
    await rm(this.paths.statePath, { force: true });
    if (this.paths.historyPath) await rm(this.paths.historyPath, { force: true });
  }
}
