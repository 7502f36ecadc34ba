import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../config/app-config';
import { READ_MODEL_DB } from '../projections/read-model-db';
import { ScratchState } from '../recovery/scratch-state';
import { copyReadModelSchema } from '../snapshots/read-model-schema';
import { BackupService } from './backup.service';
import { openBackup } from './format/read-backup-records';
import { loadRecords } from './load-records';

/**
 * The state a backup holds, as a scratch read-model database, so that restoring from a backup is
 * restoring to a target like a point in time (same preview, conflicts, compensating events, undo).
 * The file is read once, and every check of it (checksums, tag, counts, state hash) must pass
 * before the state is handed out: a damaged file never reaches a diff. The latest one is kept for
 * the preview and then the restore.
 */
@Injectable()
export class BackupStates implements OnModuleDestroy {
  private cached: { key: string; state: Promise<ScratchState>; users: number } | null = null;

  constructor(
    private readonly backups: BackupService,
    @Inject(READ_MODEL_DB) private readonly liveDb: Database.Database,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    const cached = this.cached;
    this.cached = null;
    await (await cached?.state.catch(() => null))?.close();
  }

  /**
   * Runs `fn` with the backup's state. The cache is keyed by the backup AND the passphrase, so a
   * wrong or missing passphrase is refused every time, not only on the first build.
   */
  async use<R>(backupId: string, passphrase: string | undefined, fn: (state: ScratchState) => Promise<R> | R): Promise<R> {
    const key = `${backupId}:${passphrase === undefined ? '' : createHash('sha256').update(passphrase).digest('hex')}`;
    if (this.cached?.key !== key) {
      const previous = this.cached;
      this.cached = { key, state: this.build(backupId, passphrase), users: 0 };
      this.cached.state.catch(() => (this.cached = null));
      if (previous && previous.users === 0) void previous.state.then((s) => s.close()).catch(() => undefined);
    }
    const entry = this.cached!;
    entry.users += 1;
    try {
      return await fn(await entry.state);
    } finally {
      entry.users -= 1;
      if (this.cached !== entry && entry.users === 0) void entry.state.then((s) => s.close()).catch(() => undefined);
    }
  }

  /** The state read afresh from the stored file (never the cache): what a restore drill must test. */
  async fresh<R>(backupId: string, passphrase: string | undefined, fn: (state: ScratchState) => Promise<R> | R): Promise<R> {
    const state = await this.build(backupId, passphrase);
    try {
      return await fn(state);
    } finally {
      await state.close();
    }
  }

  private async build(backupId: string, passphrase: string | undefined): Promise<ScratchState> {
    const path = join(this.config.values.dataDir, 'tmp', `state-backup-${uuidv7()}.sqlite`);
    const { body } = await this.backups.open(backupId);
    const { manifest, records } = await openBackup(body, { passphrase, skipHistory: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      copyReadModelSchema(this.liveDb, db);
      await loadRecords(db, records, manifest.headPosition);
      db.close();
    } catch (error) {
      db.close();
      await rm(path, { force: true });
      throw error;
    }
    return ScratchState.open(path, manifest.headPosition, -1, 0);
  }
}
