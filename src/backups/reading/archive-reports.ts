import { Injectable } from '@nestjs/common';

/**
 * What backup health says about the log's archive, in the terms it needs (the lag, the last
 * error, whether a newer epoch superseded this writer); the rest is passed through to the Backup
 * Manager as the archive reported it.
 */
export interface ArchiveReport {
  storage: string;
  lag: { positions: number; seconds: number };
  lastError: { code: string; message: string; at: string } | null;
  superseded: { epoch: number; seenAt: string } | null;
}

/** A follower's (ARCHIVE_FOLLOW) report: its lag behind the newest archived segment and its last error. */
export interface FollowerReport {
  lag: { positions: number; seconds: number };
  lastError: { code: string; message: string; at: string } | null;
}

export interface ArchiveReportSource {
  status(): Promise<ArchiveReport | null>;
  followerStatus(): FollowerReport | null;
}

/**
 * Where the archive (src/archive, which is built on the backup format and storages, so above
 * this folder) registers its status for backup health: the dependency points from archive to
 * backups only. Null reports while nothing registered (the archive module not loaded).
 */
@Injectable()
export class ArchiveReports {
  private source: ArchiveReportSource | null = null;

  register(source: ArchiveReportSource): void {
    this.source = source;
  }

  async status(): Promise<ArchiveReport | null> {
    return (await this.source?.status()) ?? null;
  }

  followerStatus(): FollowerReport | null {
    return this.source?.followerStatus() ?? null;
  }
}
