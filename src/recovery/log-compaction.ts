import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { RunMode } from '../config/run-mode';
import { v7 as uuidv7 } from 'uuid';
import { CronJob } from 'cron';
import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { BackupScheduler } from '../backups/writing/backup-scheduler';
import { BackupService } from '../backups/catalog/backup.service';
import { EventMetadata } from '../domain/event-metadata';
import { EventStore } from '../events/event-store';
import { JobView } from '../jobs/job';
import { JobRunner } from '../jobs/job-runner';
import { ScheduledRunClaims } from '../jobs/scheduled-run-claims';
import { SnapshotLease } from '../snapshots/snapshot-lease';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { restorePointCreated } from '../domain/restore-point';
import { StateAtService } from './state-at.service';

export const LOG_STREAM = 'log';
const DAY = 24 * 3600_000;

/**
 * Opt-in log compaction: keeps storage bounded while the full history stays restorable. The events
 * recorded more than `olderThanDays` ago are removed from the live log, but only when
 *  1. a backup that includes the history up to at least that position verified ok (it holds them);
 *  2. a base snapshot of the state at exactly that position was written (the log starts from it).
 * A LogCompacted event, written before the removal, tells the audit trail where the older history
 * lives. Removal is one transaction; a crash between the event and the removal only leaves events
 * that the next run removes. Runs under the exclusive snapshot lease, never beside a reader.
 */
@Injectable()
export class LogCompaction implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LogCompaction.name);
  private cron: CronJob | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly stateAt: StateAtService,
    private readonly snapshots: SnapshotStore,
    private readonly lease: SnapshotLease,
    private readonly backups: BackupService,
    private readonly schedules: BackupScheduler,
    private readonly jobs: JobRunner,
    private readonly claims: ScheduledRunClaims,
    private readonly clock: Clock,
    private readonly mode: RunMode,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { logCompaction } = await this.schedules.current();
    if (!logCompaction.enabled) return;
    await this.mode.background('log-compaction', () => this.arm(logCompaction.cron));
  }

  private arm(cronTime: string): void {
    this.cron = CronJob.from({
      cronTime,
      start: true,
      onTick: () => {
        void this.claims
          .claim('log-compaction', new Date(this.clock.now()))
          .then((mine) => (mine ? this.start('scheduler', 'scheduler') : undefined))
          .catch((e) => this.logger.warn(`log compaction skipped: ${e instanceof Error ? e.message : e}`));
      },
    });
  }

  onModuleDestroy(): void {
    void this.cron?.stop();
    this.cron = null;
  }

  async start(actor: string, source: EventMetadata['source']): Promise<JobView> {
    const policy = (await this.schedules.current()).logCompaction;
    if (!policy.enabled) throw new AppError('LOG_COMPACTION.DISABLED', 'log compaction is off (backup schedules: logCompaction.enabled)', 409);
    return this.jobs.start({ kind: 'compaction', actor, exclusive: true, cancellable: false, params: { log: true, olderThanDays: policy.olderThanDays } }, (job) =>
      this.compact(policy.olderThanDays, { actor, source, correlationId: job.id, causationId: null }, (phase) => job.progress({ phase })),
    );
  }

  private async compact(olderThanDays: number, metadata: EventMetadata, phase: (name: string) => void) {
    const upTo = await this.store.positionAt(new Date(this.clock.now() - olderThanDays * DAY));
    const first = await this.store.firstPosition();
    if (upTo < Math.max(first, 1)) return { removed: 0, reason: 'nothing older than the window' };
    const backup = (await this.backups.list()).find((b) => b.includesHistory && b.lastVerifyResult === 'ok' && b.headPosition >= upTo);
    if (!backup) {
      throw new AppError('LOG_COMPACTION.NO_COVERING_BACKUP', `no verified backup with the history up to position ${upTo}: back up (with history) first`, 409, { upTo });
    }
    phase('base snapshot');
    const base = await this.stateAt.use(upTo, (state) => this.snapshots.takeFrom(state.path, 'log-base'));
    phase('removing');
    const removed = await this.lease.exclusive(async () => {
      await this.store.append(LOG_STREAM, [
        { ...restorePointCreated(uuidv7(), 'Before log compaction', await this.store.headPosition(), true), metadata },
        {
          type: 'LogCompacted',
          data: {
            upToPosition: upTo,
            eventsRemoved: upTo - Math.max(first, 1) + 1,
            baseSnapshotId: base.id,
            backup: { id: backup.id, key: backup.key, storage: backup.storage, headPosition: backup.headPosition },
          },
          metadata,
        },
      ]);
      return this.store.removeUpTo(upTo);
    });
    this.stateAt.clear();
    return { removed, upToPosition: upTo, baseSnapshotId: base.id, backupId: backup.id };
  }
}
