import { closeSync, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { NativeMemory } from '../common/native-memory';
import { BackupManifest } from './format/backup-manifest';
import { PreparationPaths } from './backup-preparation';
import { ServerKey } from '../config/server-keys';

export interface PreparationData {
  /** An open descriptor of the file (so that it is read even if its name is removed meanwhile); the thread never closes it. */
  fd: number;
  passphrase?: string;
  /** The server's keys (structured-cloned: each key arrives as a Uint8Array). */
  keys: readonly ServerKey[];
  paths: PreparationPaths;
}

export type PreparationResult = { ok: true; manifest: string; sha256: string; historyStaged: boolean } | { ok: false; message: string };

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
 */
export class BackupPreparationThread {
  private readonly outcome: Promise<PreparationResult>;
  private readonly worker: Worker;

  private readonly data: PreparationData;

  /** Starts reading `file` (opened here, closed once the thread is done). */
  constructor(file: string, options: { passphrase?: string; keys: readonly ServerKey[]; paths: PreparationPaths }) {
    this.data = { fd: openSync(file, 'r'), ...options };
    this.worker = new Worker(WORKER.file, { workerData: this.data, execArgv: WORKER.execArgv, resourceLimits: { maxOldGenerationSizeMb: MAX_OLD_GENERATION_MB } });
    this.outcome = new Promise<PreparationResult>((resolve) => {
      this.worker.once('message', (result: PreparationResult) => resolve(result));
      this.worker.once('error', (error) => resolve({ ok: false, message: error.message }));
      this.worker.once('exit', (code) => resolve({ ok: false, message: `the preparation thread exited (${code})` }));
    });
    // The thread answers when done, then ends: only then is the descriptor no longer in use.
    this.worker.once('exit', () => {
      closeSync(this.data.fd);
      NativeMemory.releaseSoon();
    });
  }

  /** The files, once ready, if they were made from the file `manifest` describes; null (and removed) otherwise. */
  async prepared(manifest: BackupManifest): Promise<PreparedFiles | null> {
    const result = await this.outcome;
    if (result.ok && result.manifest === JSON.stringify(manifest) && result.sha256 === manifest.payload.sha256) {
      return { statePath: this.data.paths.statePath, historyPath: result.historyStaged ? this.data.paths.historyPath : null };
    }
    await this.removeFiles();
    return null;
  }

  async cancel(): Promise<void> {
    await this.worker.terminate();
    await this.outcome;
    await this.removeFiles();
  }

  private async removeFiles(): Promise<void> {
    await rm(this.data.paths.statePath, { force: true });
    if (this.data.paths.historyPath) await rm(this.data.paths.historyPath, { force: true });
  }
}
