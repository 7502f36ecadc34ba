import { Injectable } from '@nestjs/common';

/**
 * What backup health says about the log's archive, in the terms it needs (the lag and the last
 * error; the rest is passed through to the Backup Manager as the archive reported it).
 */
export interface ArchiveReport {
  lag: { positions: number; seconds: number };
  lastError: { code: string; message: string; at: string } | null;
}

/**
 * Where the archive (src/archive, which is built on the backup format and storages, so above
 * this folder) registers its status for backup health: the dependency points from archive to
 * backups only. Null while no archive registered (ARCHIVE_STORAGE unset, or the archive module
 * not loaded).
 */
@Injectable()
export class ArchiveReports {
  private source: (() => Promise<ArchiveReport | null>) | null = null;

  register(source: () => Promise<ArchiveReport | null>): void {
    this.source = source;
  }

  async status(): Promise<ArchiveReport | null> {
    return (await this.source?.()) ?? null;
  }
}
