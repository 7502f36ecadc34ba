import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { BackupHealthService } from '../backups/reading/backup-health';
import { Clock } from '../common/clock';
import { EventStore } from '../events/event-store';
import { WriteGate } from '../events/write-gate';
import { JobRunner } from '../jobs/job-runner';
import { Projector } from '../projections/projector';
import { LiveReadModels } from '../projections/live-read-models';

/** Jobs during which reads are not to be trusted: a rebuild empties and refills the read models; a restore is about to change the data. */
const READ_BLOCKING_JOBS = ['rebuild', 'restore'] as const;

/**
 * `GET /health/ready`: whether this instance should get traffic. It is not ready (503
 * HEALTH.NOT_READY, the same report as `details`) while a check that decides whether its reads
 * are right fails: the read-model database, the event store, the projection (failing to write),
 * or a rebuild or restore under way. Backups, storages and the archive are reported (ages, lag,
 * copies waiting, last errors) but never make it unready: an unreachable bucket delays copies, it
 * does not make this instance's answers wrong; alerts on them belong to the metrics.
 */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly readModels: LiveReadModels,
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly jobs: JobRunner,
    private readonly backups: BackupHealthService,
    private readonly clock: Clock,
    private readonly writes: WriteGate,
  ) {}

  /** The report; `status` is `error` when something is down (terminus throws it as a 503, taken back here). */
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database(), () => this.eventStore(), () => this.reads(), () => this.backupsAndStorage()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      return error.getResponse() as HealthCheckResult;
    }
  }

  private async database(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('database');
    try {
      await this.readModels.ping();
      return check.up();
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  /** Up on a follower too (it serves reads); `writes` says whether this instance takes writes (a load balancer may route writes by it). */
  private async eventStore(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('eventStore');
    const writes = this.writes.open ? 'open' : 'refused';
    try {
      return check.up({ headPosition: await this.store.headPosition(), writes });
    } catch (error) {
      return check.down({ message: messageOf(error), writes });
    }
  }

  /** The projection's lag in positions, and whether anything keeps reads from being right. */
  private async reads(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('reads');
    const head = await this.store.headPosition().catch(() => null);
    const projection = { position: this.projector.position, lagPositions: head === null ? null : Math.max(0, head - this.projector.position) };
    const blocking = this.jobs.activeOf(READ_BLOCKING_JOBS);
    if (blocking) return check.down({ projection, message: `a ${blocking.kind} is under way (job ${blocking.id})`, job: { id: blocking.id, kind: blocking.kind } });
    if (this.projector.lastError !== null) return check.down({ projection, message: `the projection is failing: ${this.projector.lastError}` });
    return check.up({ projection });
  }

  /** Reported, never down: the last verified backup's age, each storage's waiting copies, the archive's lag. */
  private async backupsAndStorage(): Promise<HealthIndicatorResult> {
    const health = await this.backups.health();
    const ageSeconds = (iso: string | null) => (iso === null ? null : Math.max(0, Math.round((this.clock.now() - Date.parse(iso)) / 1000)));
    const archive = health.archive && { storage: health.archive.storage, lag: health.archive.lag, lastError: health.archive.lastError };
    return this.indicator.check('backups').up({
      backupStatus: health.status,
      lastVerifiedBackupId: health.lastVerifiedBackupId,
      lastVerifiedAgeSeconds: ageSeconds(health.lastVerifiedRestorableAt),
      newestBackupAgeSeconds: ageSeconds(health.newestBackupAt),
      storages: health.storages,
      archive,
      warnings: health.warnings,
    });
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
