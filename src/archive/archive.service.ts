import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { ArchiveReports } from '../backups/reading/archive-reports';
import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { EventStore } from '../events/event-store';
import { Projector } from '../projections/projector';
import { ArchiveCursor } from './archive-cursor';
import { ArchiveEncryption } from './archive-encryption';
import { archiveNotFollower, archiveSuperseded, followerReadOnly } from './archive-errors';
import { ArchiveHistory } from './archive-history';
import { ArchiveRetention } from './archive-retention';
import { ArchiveObjectStore } from './archive-object-store';
import { ArchiveWindow, archiveWindow } from './archive-window';
import { ArchiveStatus } from './archive-status';
import { Archiver } from './archiver';
import { ArchiverOptions } from './archiver-options';
import { Follower, FollowerStatus } from './follower';
import { WriteGate } from '../events/write-gate';
import { RunMode } from '../config/run-mode';

/** The archiver's status, and on an instance that has archived nothing yet, the archive the store already holds. */
export interface ArchiveHealth extends ArchiveStatus {
  /** What a restore from the store alone could reach now (a fresh instance's Restore Wizard offers it); only while this instance's log is empty; null otherwise, or when the store holds nothing. */
  found: ArchiveWindow | null;
}

/** How long the window of the archive a store holds is answered without asking the store again. */
const FOUND_TTL_MS = 10_000;

/** The archive store ARCHIVE_STORAGE (or ARCHIVE_FOLLOW) names, or null when archiving is off. */
export const ARCHIVE_OBJECT_STORE = Symbol('ARCHIVE_OBJECT_STORE');

/** What POST /api/archive/promote answers. */
export interface Promotion {
  /** The epoch this instance now writes under. */
  epoch: number;
  /** The followed epoch and its last position applied, which the new epoch continues (null: the archive was empty). */
  continues: { epoch: number; position: number } | null;
  headPosition: number;
}

/**
 * The archive as the rest of the service sees it. A writer runs the archiver (started with the
 * application, stopped before the log closes, after its upload in flight); a follower
 * (ARCHIVE_FOLLOW) runs the follower instead and keeps the write gate closed, until `promote`. An
 * instance that archived under an epoch of this store (its cursor names it: a promoted follower
 * after a restart) is a writer, whatever ARCHIVE_FOLLOW says: promotion is never undone by a restart.
 * Its status reaches backup health through ArchiveReports (the archive depends on backups, never
 * the reverse); its segments follow the backup retention (ArchiveRetention).
 */
@Injectable()
export class ArchiveService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ArchiveService.name);
  /** The last answer of foundIn, kept FOUND_TTL_MS: a Backup Manager polling health lists the store once per period, not per poll. */
  private found: { at: number; window: Promise<ArchiveWindow | null> } | null = null;
  archiver: Archiver | null = null;
  follower: Follower | null = null;
  readonly history: ArchiveHistory | null;
  private readonly cursorFile: ArchiveCursor;
  private promoting: Promise<Promotion> | null = null;

  constructor(
    private readonly log: EventStore,
    @Inject(ARCHIVE_OBJECT_STORE) readonly store: ArchiveObjectStore | null,
    private readonly encryption: ArchiveEncryption,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly gate: WriteGate,
    private readonly projector: Projector,
    private readonly retention: ArchiveRetention,
    reports: ArchiveReports,
    private readonly mode: RunMode,
  ) {
    reports.register({ status: () => this.status(), followerStatus: () => this.followerStatus() });
    this.cursorFile = new ArchiveCursor(join(config.values.dataDir, 'archive-cursor.json'));
    this.history = store ? new ArchiveHistory(store, encryption) : null;
    // An offline restore reads the archive (this.history) and neither writes it nor follows it.
    if (!store || !mode.runsBackgroundWork) return;
    const promoted = this.cursorFile.read()?.storage === store.describe();
    if (config.values.ARCHIVE_FOLLOW && !promoted) {
      this.follower = new Follower(log, store, encryption, clock, { intervalMs: config.values.ARCHIVE_FOLLOW_INTERVAL_MS });
      gate.close(followerReadOnly(store.describe()));
    } else {
      this.archiver = this.newArchiver(store);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const { archiver, follower } = this;
    if (archiver) await this.mode.background('archiver', () => archiver.start());
    if (follower) await this.mode.background('follower', () => follower.start());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.follower?.stop();
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

  followerStatus(): FollowerStatus | null {
    return this.follower?.status() ?? null;
  }

  /**
   * Turns the follower into the writer, in this order: following stops; every segment the newest
   * epoch holds is applied (a failure leaves it a follower, following again); the read models
   * reach that head; a new epoch is claimed, continuing the followed one at that head; only then
   * does the write gate open and the archiver start (it uploads the history under the new epoch,
   * whose first segment records what it continues). Concurrent calls share one promotion.
   */
  promote(): Promise<Promotion> {
    if (!this.follower || !this.store) return Promise.reject(archiveNotFollower());
    this.promoting ??= this.promoteNow(this.follower, this.store).finally(() => (this.promoting = null));
    return this.promoting;
  }

  private async promoteNow(follower: Follower, store: ArchiveObjectStore): Promise<Promotion> {
    await follower.stop();
    let archiver: Archiver;
    let promotion: Promotion;
    try {
      const caught = await follower.catchUp();
      const waiting = follower.status().waitingForEpoch;
      if (waiting !== null) {
        throw new AppError('ARCHIVE.PROMOTION_CONFLICT', `epoch ${waiting} was claimed by another instance, which is becoming the writer: this one stays a follower`, 409, {
          epoch: waiting,
        });
      }
      await this.projector.waitFor(caught.position, 600_000);
      const continues = caught.epoch === null ? null : { epoch: caught.epoch, position: caught.position };
      archiver = this.newArchiver(store, continues ?? undefined);
      const cursor = await archiver.claim();
      promotion = { epoch: cursor.epoch, continues, headPosition: caught.position };
    } catch (error) {
      follower.start();
      throw error;
    }
    this.follower = null;
    this.archiver = archiver;
    this.gate.reopen();
    archiver.start();
    return promotion;
  }

  private newArchiver(store: ArchiveObjectStore, continues?: ArchiverOptions['continues']): Archiver {
    const { ARCHIVE_INTERVAL_MS, ARCHIVE_SEGMENT_BYTES } = this.config.values;
    return new Archiver(this.log, store, this.encryption, this.cursorFile, this.clock, {
      intervalMs: ARCHIVE_INTERVAL_MS,
      segmentBytes: ARCHIVE_SEGMENT_BYTES,
      tmpDir: tmpDirOf(this.config),
      retention: (epoch, archived) => this.retention.apply(store, epoch, archived),
      continues,
      onSuperseded: (newer, epoch) => this.gate.close(archiveSuperseded(store.describe(), epoch, newer)),
    });
  }
}
