import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { ArchiveSource, ArchiveTarget, ChainPoint } from '../archive/archive-history';
import { ArchiveService } from '../archive/archive.service';
import { BackupService } from '../backups/catalog/backup.service';
import { BackupView, opensUnattended } from '../backups/catalog/backup-view';
import { FetchedBackup, FetchedBackups } from '../backups/reading/fetched-backups';
import { readBackupManifest } from '../backups/format/read-backup-manifest';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { KeyRing } from '../config/key-ring';

/** The backup a restore from the storage starts from: its history is adopted up to its head. */
export interface BaseBackup {
  id: string;
  key: string;
  storage: string;
  bytes: number;
  /** The backup's head, with its time and the chain head its manifest records. */
  head: ChainPoint;
  /** BACKUP_PASSPHRASE for a backup sealed with a passphrase; undefined otherwise. */
  passphrase: string | undefined;
}

/** What a restore from the storage alone reads: a backup (or none) and the archived segments after it. */
export interface CloudRestorePlan {
  backup: BaseBackup | null;
  source: ArchiveSource;
}

/**
 * Restore from the storage alone = the newest backup at or before the target + the archived
 * segments after its head up to the target, as pgBackRest and WAL-G restore a base backup and
 * replay the WAL after it. A backup is a base only if it holds its history (the log is adopted
 * event for event), records the chain head at its head, opens without a person (unencrypted, a
 * server key this server has, or BACKUP_PASSPHRASE), and an epoch of the archive continues its
 * chain from its head (checked on the first object after it), unless the target is its head
 * itself. Without such a backup, the whole history is read from the archive (segments only).
 * The plan is a pure function of what the storages hold, so the restore finds the plan its preview did.
 * A candidate is fetched whole (FetchedBackups) to read its manifest: the preview's state and the
 * restore's history then read that same copy, so the storage serves the chosen backup once.
 */
@Injectable()
export class CloudRestorePlanner {
  constructor(
    private readonly archive: ArchiveService,
    private readonly backups: BackupService,
    private readonly keys: KeyRing,
    private readonly fetched: FetchedBackups,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async plan(target: ArchiveTarget): Promise<CloudRestorePlan> {
    const history = this.archive.history!;
    // The catalog as the storages hold it now (start-up discovery waits only so long): a LIST per
    // storage, and a header read per backup not registered yet. A storage that cannot be listed is
    // reported by discovery, not fatal: its backups are then not candidates.
    await this.backups.refresh();
    for await (const backup of this.candidates(target)) {
      const sources = await history.sourcesAfter(backup.head);
      if (sources.length === 0) return { backup, source: { storage: history.describe(), epoch: 0, after: backup.head, chain: [], gapAt: null } };
      for (const source of sources) if (await history.continues(source)) return { backup, source };
    }
    return { backup: null, source: await history.sourceFor(target) };
  }

  /** Backups that may be the base of the target, newest head first; each one's header is read only when its turn comes. */
  private async *candidates(target: ArchiveTarget): AsyncGenerator<BaseBackup> {
    const limit = 'position' in target ? target.position : Infinity;
    const until = 'at' in target ? Date.parse(target.at) : Infinity;
    const listed = (await this.backups.list())
      .filter((b) => b.includesHistory && b.headPosition > 0 && b.headPosition <= limit && this.opens(b) && b.copies.some((c) => c.state === 'stored' || c.state === 'verified'))
      .sort((a, b) => b.headPosition - a.headPosition);
    for (const backup of listed) {
      // Made after the target's time: its head may still be before it; its header alone tells (not worth fetching it whole).
      if (Date.parse(backup.createdAt) > until && Date.parse((await this.headerOf(backup)).manifest.headRecordedAt ?? '') > until) continue;
      const { manifest } = await this.manifestOf(backup);
      if (!manifest.chainHead || manifest.chainHead.position !== backup.headPosition || !manifest.headRecordedAt) continue;
      if (Date.parse(manifest.headRecordedAt) > until) continue;
      yield {
        id: backup.id,
        key: backup.key,
        storage: backup.storage,
        bytes: backup.size,
        head: { position: backup.headPosition, recordedAt: manifest.headRecordedAt, hash: manifest.chainHead.hash },
        passphrase: backup.encrypted && !backup.keyId ? this.config.values.BACKUP_PASSPHRASE : undefined,
      };
    }
  }

  private opens(backup: BackupView): boolean {
    return opensUnattended(backup, (id) => !!this.keys.find(id), !!this.config.values.BACKUP_PASSPHRASE);
  }

  /** The backup's manifest, from its file fetched whole (kept for the restore); a failure names the object it could not read. */
  private async manifestOf(backup: BackupView) {
    let fetched: FetchedBackup | null = null;
    try {
      fetched = await this.fetched.fetch(backup.id);
      const opened = await readBackupManifest(createReadStream(fetched.path));
      opened.payload.destroy();
      return opened;
    } catch (error) {
      throw namingBackup(error, backup);
    } finally {
      fetched?.release();
    }
  }

  /** The backup's manifest from the storage, its header only (the rest of the object is not read). */
  private async headerOf(backup: BackupView) {
    try {
      const opened = await readBackupManifest((await this.backups.open(backup.id)).body);
      opened.payload.destroy();
      return opened;
    } catch (error) {
      throw namingBackup(error, backup);
    }
  }
}

/** A backup's own error (a checksum, a truncation), with the object it came from in its details. */
export function namingBackup(error: unknown, backup: { key: string; storage: string }): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(error.code, `backup object ${backup.key} on ${backup.storage}: ${error.message}`, error.status, { ...(error.details as object), key: backup.key, storage: backup.storage });
}
