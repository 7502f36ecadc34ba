import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { BackupManifest } from '../format/backup-manifest';
import { PreparedFiles } from './backup-preparation-thread';

/** What a backup's state is opened with: the backup and the passphrase (a digest of it, never the passphrase itself). */
export function backupStateKey(backupId: string, passphrase: string | undefined): string {
  return `${backupId}:${passphrase === undefined ? '' : createHash('sha256').update(passphrase).digest('hex')}`;
}

type Kept = PreparedBackup & { stateTaken: boolean; historyTaken: boolean };

export interface PreparedBackup {
  backupId: string;
  /** backupStateKey of the backup and the passphrase it was read with: only the same passphrase gets it. */
  key: string;
  manifest: BackupManifest;
  /**
   * The files, once ready (null: they could not be made): a read-model database holding the
   * backup's state, its checkpoint at manifest.headPosition, and the history staged for adoption
   * (HistoryStage, complete) or null.
   */
  files: Promise<PreparedFiles | null>;
  /** Stops the making of the files if it is still under way and removes whatever it made or read (a preparation thread's link included). */
  cancel?: () => Promise<void>;
}

/**
 * The state (and, for an upload onto an empty log, the history) of the newest backup made or
 * uploaded here, prepared from the very data the backup holds (BackupService: a copy of the read
 * models it was made from; an upload: BackupPreparationThread, from the file being verified): the
 * next preview and restore of that backup (usually the next thing a user does with it) open these
 * instead of decoding the file again.
 *
 * Only one is kept: a million locations cost ~400 MB of disk in DATA_DIR/tmp (emptied at start-up),
 * and a newer one replaces it. Whoever takes a file owns it (and removes it when done).
 */
@Injectable()
export class PreparedBackups implements OnModuleDestroy {
  private entry: Kept | null = null;
  /** Drops under way, by backup: a replaced entry is dropped in the background, and a delete of its backup waits for that. */
  private readonly dropping = new Map<string, Promise<void>>();

  keep(prepared: PreparedBackup): void {
    void this.drop();
    this.entry = { ...prepared, stateTaken: false, historyTaken: false };
  }

  /** Hands the prepared state over (once): its path (when ready; null if it could not be made) and the manifest it holds the state of. */
  takeState(key: string): { path: Promise<string | null>; manifest: BackupManifest } | null {
    const entry = this.entry;
    if (entry?.key !== key || entry.stateTaken) return null;
    entry.stateTaken = true;
    return { path: entry.files.then((f) => f?.statePath ?? null), manifest: entry.manifest };
  }

  /** Hands the staged history over (once), when ready; null if there is none. */
  async takeHistory(key: string): Promise<string | null> {
    const entry = this.entry;
    if (entry?.key !== key || entry.historyTaken) return null;
    entry.historyTaken = true;
    return (await entry.files)?.historyPath ?? null;
  }

  /** Forgets a backup that is gone (deleted); resolves once what was prepared for it, and not taken, is removed. */
  async forget(backupId: string): Promise<void> {
    if (this.entry?.backupId === backupId) void this.drop();
    await this.dropping.get(backupId);
  }

  async onModuleDestroy(): Promise<void> {
    void this.drop();
    await Promise.all(this.dropping.values());
  }

  private drop(): Promise<void> {
    const entry = this.entry;
    this.entry = null;
    if (!entry) return Promise.resolve();
    // A file that could not be removed stays until DATA_DIR/tmp is emptied at the next start.
    const dropped = this.remove(entry).catch(() => undefined).finally(() => {
      if (this.dropping.get(entry.backupId) === dropped) this.dropping.delete(entry.backupId);
    });
    this.dropping.set(entry.backupId, dropped);
    return dropped;
  }

  private async remove(entry: Kept): Promise<void> {
    // Nobody waits for files not taken: their making is stopped rather than waited for.
    if (!entry.stateTaken && !entry.historyTaken) await entry.cancel?.().catch(() => undefined);
    const files = await entry.files.catch(() => null);
    if (!files) return;
    if (!entry.stateTaken) rmSync(files.statePath, { force: true });
    if (!entry.historyTaken && files.historyPath) rmSync(files.historyPath, { force: true });
  }
}
