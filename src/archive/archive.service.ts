import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { EventStore } from '../events/event-store';
import { Projector } from '../projections/projector';
import { ArchiveCursor } from './archive-cursor';
import { ArchiveEncryption } from './archive-encryption';
import { archiveNotFollower, archiveSuperseded, followerReadOnly } from './archive-errors';
import { ArchiveHistory } from './archive-history';
import { ArchiveObjectStore } from './archive-object-store';
import { ArchiveStatus, Archiver, ArchiverOptions } from './archiver';
import { Follower, FollowerStatus } from './follower';
import { WriteGate } from '../events/write-gate';

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
 */
@Injectable()
export class ArchiveService implements OnApplicationBootstrap, BeforeApplicationShutdown {
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
  ) {
    this.cursorFile = new ArchiveCursor(join(config.values.dataDir, 'archive-cursor.json'));
    this.history = store ? new ArchiveHistory(store, encryption) : null;
    if (!store) return;
    const promoted = this.cursorFile.read()?.storage === store.describe();
    if (config.values.ARCHIVE_FOLLOW && !promoted) {
      this.follower = new Follower(log, store, encryption, clock, { intervalMs: config.values.ARCHIVE_FOLLOW_INTERVAL_MS });
      gate.close(followerReadOnly(store.describe()));
    } else {
      this.archiver = this.newArchiver(store);
    }
  }

  onApplicationBootstrap(): void {
    this.archiver?.start();
    this.follower?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.follower?.stop();
    await this.archiver?.stop();
  }

  async status(): Promise<ArchiveStatus | null> {
    return (await this.archiver?.status()) ?? null;
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
      continues,
      onSuperseded: (newer, epoch) => this.gate.close(archiveSuperseded(store.describe(), epoch, newer)),
    });
  }
}
