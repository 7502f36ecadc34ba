import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { EventStore } from '../events/event-store';
import { ArchiveCursor } from './archive-cursor';
import { ArchiveEncryption } from './archive-encryption';
import { ArchiveHistory } from './archive-history';
import { ArchiveObjectStore } from './archive-object-store';
import { ArchiveWindow, archiveWindow } from './archive-window';
import { ArchiveStatus, Archiver } from './archiver';

/** The archiver's status, and on an instance that has archived nothing yet, the archive the store already holds. */
export interface ArchiveHealth extends ArchiveStatus {
  /** What a restore from the store alone could reach now (a fresh instance's Restore Wizard offers it); only while this instance's log is empty; null otherwise, or when the store holds nothing. */
  found: ArchiveWindow | null;
}

/** How long the window of the archive a store holds is answered without asking the store again. */
const FOUND_TTL_MS = 10_000;

/** The archive store ARCHIVE_STORAGE names, or null when archiving is off. */
export const ARCHIVE_OBJECT_STORE = Symbol('ARCHIVE_OBJECT_STORE');

/**
 * The archive as the rest of the service sees it: the archiver (started with the application,
 * stopped before the log closes, after its upload in flight) and the archived histories a restore
 * reads. Both null when ARCHIVE_STORAGE is unset.
 */
@Injectable()
export class ArchiveService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ArchiveService.name);
  /** The last answer of foundIn, kept FOUND_TTL_MS: a Backup Manager polling health lists the store once per period, not per poll. */
  private found: { at: number; window: Promise<ArchiveWindow | null> } | null = null;
  readonly archiver: Archiver | null;
  readonly history: ArchiveHistory | null;

  constructor(
    log: EventStore,
    @Inject(ARCHIVE_OBJECT_STORE) readonly store: ArchiveObjectStore | null,
    encryption: ArchiveEncryption,
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    const { ARCHIVE_INTERVAL_MS, ARCHIVE_SEGMENT_BYTES, dataDir } = config.values;
    this.archiver = store
      ? new Archiver(log, store, encryption, new ArchiveCursor(join(dataDir, 'archive-cursor.json')), clock, {
          intervalMs: ARCHIVE_INTERVAL_MS,
          segmentBytes: ARCHIVE_SEGMENT_BYTES,
          tmpDir: tmpDirOf(config),
        })
      : null;
    this.history = store ? new ArchiveHistory(store, encryption) : null;
  }

  onApplicationBootstrap(): void {
    this.archiver?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.archiver?.stop();
  }

  /**
   * Asks the store only while this instance's log is empty (a fresh instance pointed at a store, the
   * one that may restore from it): an instance with data, archiving or not, answers without a request
   * to the store. An unreachable store reads as nothing found (and is logged); an answer is kept 10 s.
   */
  async status(): Promise<ArchiveHealth | null> {
    if (!this.archiver || !this.store) return null;
    const status = await this.archiver.status();
    if (status.headPosition !== 0) return { ...status, found: null };
    if (!this.found || this.clock.now() - this.found.at > FOUND_TTL_MS) this.found = { at: this.clock.now(), window: this.foundIn(this.store) };
    return { ...status, found: await this.found.window };
  }

  private async foundIn(store: ArchiveObjectStore): Promise<ArchiveWindow | null> {
    try {
      return await archiveWindow(store);
    } catch (error) {
      this.logger.warn(`the archive in ${store.describe()} could not be listed: ${(error as Error).message}`);
      return null;
    }
  }
}
