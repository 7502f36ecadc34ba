import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { BackupManifest } from './format/backup-manifest';
import { PreparedFiles } from './backup-preparation-thread';

/** What a backup's state is opened with: the backup and the passphrase (a digest of it, never the passphrase itself). */
export function backupStateKey(backupId: string, passphrase: string | undefined): string {
  return `${backupId}:${passphrase === undefined ? '' : createHash('sha256').update(passphrase).digest('hex')}`;
}

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
  private entry: (PreparedBackup & { stateTaken: boolean; historyTaken: boolean }) | null = null;

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

  /** Forgets a backup that is gone (deleted). */
  forget(backupId: string): void {
    if (this.entry?.backupId === backupId) void this.drop();
  }

  onModuleDestroy(): Promise<void> {
    return this.drop();
  }

  private async drop(): Promise<void> {
    const entry = this.entry;
    this.entry = null;
    const files = await entry?.files.catch(() => null);
    if (!entry || !files) return;
    if (!entry.stateTaken) rmSync(files.statePath, { force: true });
    if (!entry.historyTaken && files.historyPath) rmSync(files.historyPath, { force: true });
  }
}
