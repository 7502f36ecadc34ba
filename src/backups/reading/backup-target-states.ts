import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../common/app-error';
import { AppConfig } from '../../config/app-config';
import { KeyRing } from '../../config/key-ring';
import { TargetState } from '../../projections/target-state';
import { TargetStates } from '../../projections/target-states';
import { BackupPreparationThread } from '../prepared/backup-preparation-thread';
import { BackupService } from '../catalog/backup.service';
import { FetchedBackups } from './fetched-backups';
import { BackupManifest } from '../format/backup-manifest';
import { openBackup } from '../format/read-backup-records';
import { verifyWrittenCopy } from '../format/verify-written-copy';
import { backupStateKey, PreparedBackups } from '../prepared/prepared-backups';

/**
 * The state a backup holds, as a scratch read-model database, so that restoring from a backup is
 * restoring to a target like a point in time (same preview, conflicts, compensating events, undo).
 * The file is read once, and every check of it (checksums, tag, counts, state hash) must pass
 * before the state is handed out: a damaged file never reaches a diff. The latest one is kept for
 * the preview and then the restore. A state prepared while the backup was made or uploaded here
 * (PreparedBackups) stands in for reading the file, once the stored file is shown to be the one it
 * was prepared from (its manifest and the sha256 of its bytes).
 */
interface Opened {
  state: TargetState;
  manifest: BackupManifest;
}

@Injectable()
export class BackupTargetStates implements OnModuleDestroy {
  private cached: { key: string; state: Promise<Opened>; users: number } | null = null;

  constructor(
    private readonly backups: BackupService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly prepared: PreparedBackups,
    private readonly keys: KeyRing,
    private readonly targetStates: TargetStates,
    private readonly fetched: FetchedBackups,
  ) {}

  async onModuleDestroy(): Promise<void> {
    const cached = this.cached;
    this.cached = null;
    await (await cached?.state.catch(() => null))?.state.close();
  }

  /**
   * Runs `fn` with the backup's state. The cache is keyed by the backup AND the passphrase, so a
   * wrong or missing passphrase is refused every time, not only on the first build. (A backup
   * sealed with a server key is opened with the key its manifest names, whatever the passphrase;
   * the keys cannot change while the process runs.) `fn` also gets
   * the manifest of the file the state is from.
   */
  async use<R>(backupId: string, passphrase: string | undefined, fn: (state: TargetState, manifest: BackupManifest) => Promise<R> | R): Promise<R> {
    const key = backupStateKey(backupId, passphrase);
    if (this.cached?.key !== key) {
      const previous = this.cached;
      const prepared = this.prepared.takeState(key);
      this.cached = { key, state: prepared ? this.openPrepared(backupId, passphrase, prepared) : this.build(backupId, passphrase), users: 0 };
      this.cached.state.catch(() => (this.cached = null));
      if (previous && previous.users === 0) void previous.state.then((s) => s.state.close()).catch(() => undefined);
    }
    const entry = this.cached!;
    entry.users += 1;
    try {
      const { state, manifest } = await entry.state;
      return await fn(state, manifest);
    } finally {
      entry.users -= 1;
      if (this.cached !== entry && entry.users === 0) void entry.state.then((s) => s.state.close()).catch(() => undefined);
    }
  }

  /** The state read afresh from the stored file (never the cache): what a restore drill must test. */
  async fresh<R>(backupId: string, passphrase: string | undefined, fn: (state: TargetState) => Promise<R> | R): Promise<R> {
    const { state } = await this.build(backupId, passphrase);
    try {
      return await fn(state);
    } finally {
      await state.close();
    }
  }

  /**
   * The prepared state, if the stored file is still exactly the one it was prepared from (else the
   * file's own error, and the state is dropped); the file itself if the state could not be prepared.
   */
  private async openPrepared(backupId: string, passphrase: string | undefined, prepared: { path: Promise<string | null>; manifest: BackupManifest }): Promise<Opened> {
    const path = await prepared.path;
    if (!path) return this.build(backupId, passphrase);
    try {
      const { body } = await this.backups.open(backupId);
      const report = await verifyWrittenCopy(body, prepared.manifest);
      if (!report.ok) throw new AppError(report.error?.code ?? 'BACKUP.CHECKSUM_MISMATCH', report.error?.message ?? 'the stored file is damaged', 400, report.error?.details);
      return { state: await this.targetStates.open(path, prepared.manifest.headPosition, -1, 0), manifest: prepared.manifest };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /**
   * Reads the stored file (copied to DATA_DIR/tmp first, once; or the copy FetchedBackups keeps of
   * it, fetched by a restore from the storage, so that such a restore downloads it once) twice at once: this thread checks it
   * as every reader does (checksums, tag, the state's records, counts and hash; the first failure
   * is thrown) while a worker loads its state (BackupPreparationThread). The worker's state is
   * handed out only if every check passed and the worker read those very bytes; should the worker
   * fail, the state is loaded here instead.
   */
  private async build(backupId: string, passphrase: string | undefined): Promise<Opened> {
    const id = uuidv7();
    const tmp = join(this.config.values.dataDir, 'tmp');
    const kept = await this.fetched.kept(backupId);
    const source = kept?.path ?? join(tmp, `state-source-${id}.gvbk`);
    const path = join(tmp, `state-backup-${id}.sqlite`);
    try {
      if (!kept) await pipeline((await this.backups.open(backupId)).body, createWriteStream(source));
      const thread = await BackupPreparationThread.start(source, { passphrase, keys: this.keys.all(), paths: { statePath: path, historyPath: null, schemaSql: this.targetStates.schemaStatements() } });
      let manifest: BackupManifest;
      try {
        const opened = await openBackup(createReadStream(source), { passphrase, keys: this.keys.all(), skipHistory: true });
        for await (const record of opened.records) void record; // every check; throws the first failure
        manifest = opened.manifest;
      } catch (error) {
        await thread.cancel();
        throw error;
      }
      if (!(await thread.prepared(manifest))) await this.loadHere(source, passphrase, path);
      return { state: await this.targetStates.open(path, manifest.headPosition, -1, 0), manifest };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    } finally {
      if (kept) kept.release();
      else await rm(source, { force: true });
    }
  }

  /** The state loaded on this thread, from a file that passed every check. */
  private async loadHere(file: string, passphrase: string | undefined, path: string): Promise<void> {
    const { manifest, records } = await openBackup(createReadStream(file), { passphrase, keys: this.keys.all(), skipHistory: true });
    await this.targetStates.load(path, records, manifest.headPosition);
  }
}
