import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { ArchiveReports } from '../backups/archive-reports';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { EventStore } from '../events/event-store';
import { ArchiveCursor } from './archive-cursor';
import { ArchiveEncryption } from './archive-encryption';
import { ArchiveHistory } from './archive-history';
import { ArchiveRetention } from './archive-retention';
import { ArchiveObjectStore } from './archive-object-store';
import { ArchiveStatus, Archiver } from './archiver';

/** The archive store ARCHIVE_STORAGE names, or null when archiving is off. */
export const ARCHIVE_OBJECT_STORE = Symbol('ARCHIVE_OBJECT_STORE');

/**
 * The archive as the rest of the service sees it: the archiver (started with the application,
 * stopped before the log closes, after its upload in flight) and the archived histories a restore
 * reads. Both null when ARCHIVE_STORAGE is unset. Its status reaches backup health through
 * ArchiveReports (the archive depends on backups, never the reverse).
 */
@Injectable()
export class ArchiveService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly archiver: Archiver | null;
  readonly history: ArchiveHistory | null;

  constructor(
    log: EventStore,
    @Inject(ARCHIVE_OBJECT_STORE) readonly store: ArchiveObjectStore | null,
    encryption: ArchiveEncryption,
    config: AppConfig,
    clock: Clock,
    reports: ArchiveReports,
    retention: ArchiveRetention,
  ) {
    const { ARCHIVE_INTERVAL_MS, ARCHIVE_SEGMENT_BYTES, dataDir } = config.values;
    this.archiver = store
      ? new Archiver(log, store, encryption, new ArchiveCursor(join(dataDir, 'archive-cursor.json')), clock, {
          intervalMs: ARCHIVE_INTERVAL_MS,
          segmentBytes: ARCHIVE_SEGMENT_BYTES,
          tmpDir: tmpDirOf(config),
          retention: (epoch, archived) => retention.apply(store, epoch, archived),
        })
      : null;
    this.history = store ? new ArchiveHistory(store, encryption) : null;
    if (this.archiver) reports.register(() => this.status());
  }

  onApplicationBootstrap(): void {
    this.archiver?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.archiver?.stop();
  }

  async status(): Promise<ArchiveStatus | null> {
    return (await this.archiver?.status()) ?? null;
  }
}
