import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { RunMode } from '../../config/run-mode';
import { CronJob } from 'cron';
import { AppError } from '../../common/app-error';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { KeyRing } from '../../config/key-ring';
import { BackupSchedule, BackupSchedules, DEFAULT_BACKUP_SCHEDULES, backupsToKeep, cronOf } from '../../domain/backup-schedule';
import { EventMetadata } from '../../domain/event-metadata';
import { EventStore } from '../../events/event-store';
import { JobRunner } from '../../jobs/job-runner';
import { ScheduledRunClaims } from '../../jobs/scheduled-run-claims';
import { BackupDrill } from '../reading/backup-drill';
import { BackupService } from '../catalog/backup.service';
import { keyNotConfigured } from '../backup-errors';
import { BackupStorages } from '../storage/backup-storages';

export const BACKUP_SCHEDULES_STREAM = 'backup-schedules';

/**
 * Automatic backups, their retention and restore drills. The schedule document is an event in the
 * log (who changed it and when is audited, and it survives a rebuild); restoring Globe data never
 * touches it. Each schedule fires on a cron in its time zone; one instance runs each firing (a
 * claimed slot); after a scheduled backup verified, retention deletes the scheduled backups the
 * policy no longer keeps (never the new one, never manual or uploaded ones).
 */
@Injectable()
export class BackupScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BackupScheduler.name);
  private crons: CronJob[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly backups: BackupService,
    private readonly drills: BackupDrill,
    private readonly jobs: JobRunner,
    private readonly claims: ScheduledRunClaims,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly keys: KeyRing,
    private readonly storages: BackupStorages,
    private readonly mode: RunMode,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.mode.background('backup-schedules', async () => this.arm(await this.current()));
  }

  onModuleDestroy(): void {
    for (const cron of this.crons) void cron.stop();
    this.crons = [];
  }

  async current(): Promise<BackupSchedules> {
    const [latest] = await this.store.query({ types: ['BackupSchedulesChanged'], direction: 'backward', limit: 1 });
    return latest?.type === 'BackupSchedulesChanged' ? latest.data.schedules : DEFAULT_BACKUP_SCHEDULES;
  }

  async replace(doc: BackupSchedules, metadata: EventMetadata): Promise<BackupSchedules> {
    if (doc.schedules.some((s) => s.encrypt) && !this.keys.current() && !this.config.values.BACKUP_PASSPHRASE) {
      throw keyNotConfigured('encrypted schedules need a server key (BACKUP_KEY or BACKUP_KEY_FILE) or BACKUP_PASSPHRASE set in the environment');
    }
    for (const s of doc.schedules) {
      checkCron(cronOf(s), s.timezone, `schedule ${s.id}`);
      this.storages.select(s.storage);
    }
    checkCron(doc.drills.cron, 'UTC', 'drills');
    await this.store.append(BACKUP_SCHEDULES_STREAM, [{ type: 'BackupSchedulesChanged', data: { schedules: doc }, metadata }]);
    if (this.mode.runsBackgroundWork) this.arm(doc);
    return doc;
  }

  /**
   * One scheduled backup, then retention once it verified. Public for tests and for "run now". An
   * encrypted schedule uses the server's current key, else BACKUP_PASSPHRASE; with neither (the
   * environment changed since the schedule was saved) the backup is refused, never made in clear.
   */
  async runScheduled(schedule: BackupSchedule, retention: BackupSchedules['retention']): Promise<string> {
    const { jobId, backupId } = await this.backups.start({
      kind: 'scheduled',
      compression: schedule.compression,
      includeHistory: schedule.includeHistory,
      encrypt: schedule.encrypt,
      passphrase: schedule.encrypt && !this.keys.current() ? this.config.values.BACKUP_PASSPHRASE : undefined,
      actor: `scheduler:${schedule.id}`,
      storage: schedule.storage,
    });
    void this.afterBackup(jobId, retention);
    return backupId;
  }

  /**
   * Retention per storage: on each, the policy keeps its share of the scheduled backups stored
   * there and removes the other copies (a backup goes from the catalog with its last copy). A copy
   * still waiting in the queue is not counted until it is stored. Answers the backups that lost a copy.
   */
  async applyRetention(retention: BackupSchedules['retention']): Promise<string[]> {
    const scheduled = (await this.backups.list()).filter((b) => b.kind === 'scheduled' && b.lastVerifyResult === 'ok');
    const removed = new Set<string>();
    for (const { storage } of this.storages.all) {
      const where = storage.describe();
      const here = scheduled.filter((b) => b.copies.some((c) => c.storage === where && (c.state === 'verified' || c.state === 'stored')));
      const keep = backupsToKeep(here.map((b) => ({ id: b.id, time: Date.parse(b.createdAt) })), this.clock.now(), retention);
      for (const b of here.filter((b) => !keep.has(b.id))) {
        await this.backups.removeCopies(b.id, (s) => s === where);
        removed.add(b.id);
      }
    }
    return [...removed];
  }

  private async afterBackup(jobId: string, retention: BackupSchedules['retention']): Promise<void> {
    for (;;) {
      const job = await this.jobs.get(jobId);
      if (job.state === 'completed') {
        const removed = await this.applyRetention(retention);
        if (removed.length) this.logger.log(`retention removed ${removed.length} scheduled backup(s)`);
        return;
      }
      if (job.state === 'failed' || job.state === 'cancelled') return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private arm(doc: BackupSchedules): void {
    this.onModuleDestroy();
    for (const schedule of doc.schedules.filter((s) => s.enabled)) {
      this.crons.push(this.cron(cronOf(schedule), schedule.timezone, `backup:${schedule.id}`, () => this.runScheduled(schedule, doc.retention)));
    }
    if (doc.drills.enabled) this.crons.push(this.cron(doc.drills.cron, 'UTC', 'drill', () => this.drills.drill()));
  }

  private cron(expression: string, timeZone: string, slot: string, run: () => Promise<unknown>): CronJob {
    return CronJob.from({
      cronTime: expression,
      timeZone,
      start: true,
      onTick: () => {
        const claimed = this.claims.claim(slot, new Date(this.clock.now()));
        void claimed
          .then((mine) => (mine ? run() : undefined))
          .catch((error) => this.logger.warn(`${slot} failed: ${error instanceof Error ? error.message : String(error)}`));
      },
    });
  }
}

function checkCron(expression: string, timeZone: string, what: string): void {
  try {
    CronJob.from({ cronTime: expression, timeZone, onTick: () => undefined, start: false });
  } catch (error) {
    throw new AppError('BACKUP.INVALID_SCHEDULE', `${what}: ${error instanceof Error ? error.message : String(error)}`, 400, { expression, timeZone });
  }
}
