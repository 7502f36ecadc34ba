import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig, tmpDirOf } from '../../config/app-config';
import { BackupService } from '../catalog/backup.service';
import { truncated } from '../format/backup-format-errors';

/** A fetched backup file, held until `release` (called once). */
export interface FetchedBackup {
  path: string;
  release(): void;
}

interface Entry {
  id: string;
  path: string;
  ready: Promise<void>;
  users: number;
  current: boolean;
}

/**
 * A backup's bytes fetched once into DATA_DIR/tmp, for the several reads one restore from the
 * storage makes of its base backup (the plan's manifest, the preview's state, the restore's
 * history): one download from a remote storage instead of one per read. Guarantees:
 * 1. One backup is kept at a time (the last one fetched); its file goes when another is fetched,
 *    on `drop`, or at shutdown, once no reader holds it (and DATA_DIR/tmp is emptied at start-up).
 * 2. A fetched file has the size the catalog records, or the fetch fails (BACKUP.TRUNCATED) and
 *    nothing is kept. Its checksums are checked by every reader (openBackup), exactly as for a
 *    stream from the storage: no state or event from it is used before they pass.
 * Concurrent fetches of one backup share one download.
 */
@Injectable()
export class FetchedBackups implements OnModuleDestroy {
  private entry: Entry | null = null;

  constructor(
    private readonly backups: BackupService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleDestroy(): void {
    this.retire(this.entry);
    this.entry = null;
  }

  /** The backup's file, fetched now unless it is the one kept. */
  async fetch(backupId: string): Promise<FetchedBackup> {
    if (this.entry?.id !== backupId) {
      this.retire(this.entry);
      this.entry = this.download(backupId);
    }
    const entry = this.entry;
    entry.users += 1;
    try {
      await entry.ready;
    } catch (error) {
      this.releaseOf(entry)();
      if (this.entry === entry) {
        this.retire(entry);
        this.entry = null;
      }
      throw error;
    }
    return { path: entry.path, release: this.releaseOf(entry) };
  }

  /** The kept file if it is this backup's (as `fetch`), else null: nothing is downloaded. */
  async kept(backupId: string): Promise<FetchedBackup | null> {
    return this.entry?.id === backupId ? this.fetch(backupId).catch(() => null) : null;
  }

  /** Lets the backup's file go (once no reader holds it): the restore that needed it is over. */
  drop(backupId: string): void {
    if (this.entry?.id !== backupId) return;
    this.retire(this.entry);
    this.entry = null;
  }

  private download(id: string): Entry {
    const path = join(tmpDirOf(this.config), `fetched-${uuidv7()}.gvbk`);
    const ready = (async () => {
      const { backup, body } = await this.backups.open(id);
      await pipeline(body, createWriteStream(path));
      const size = (await stat(path)).size;
      if (size !== backup.size) throw truncated(`${size} bytes fetched of the ${backup.size} the catalog records`, { key: backup.key, size, expected: backup.size });
    })();
    return { id, path, ready, users: 0, current: true };
  }

  private releaseOf(entry: Entry): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (!entry.current && entry.users === 0) void rm(entry.path, { force: true });
    };
  }

  private retire(entry: Entry | null): void {
    if (!entry) return;
    entry.current = false;
    if (entry.users === 0) void entry.ready.catch(() => undefined).then(() => rm(entry.path, { force: true }));
  }
}
