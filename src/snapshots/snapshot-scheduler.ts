import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { RunMode } from '../config/run-mode';
import { CronJob } from 'cron';
import { Subscription, auditTime } from 'rxjs';
import { GlobeReadModel } from '../projections/globe-read-model';
import { Projector } from '../projections/projector';
import { SnapshotJobs } from './snapshot-jobs';
import { SnapshotStore } from './snapshot-store';

const RECONCILE_MS = 30_000;

/**
 * Takes snapshots every `snapshotEveryEvents` events and on `snapshotCron`, and compacts on
 * `compactionCron` (all three from the settings, so changing a schedule is itself audited). The
 * schedules are re-read periodically; a bad cron expression is logged and that schedule stays off.
 * A tick that finds the same job already running is skipped, never queued behind it.
 */
@Injectable()
export class SnapshotScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SnapshotScheduler.name);
  private subscription: Subscription | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private readonly crons = new Map<'snapshot' | 'compaction', { expression: string; job: CronJob | null }>();
  private lastSnapshotPosition: number | null = null;

  constructor(
    private readonly projector: Projector,
    private readonly snapshots: SnapshotStore,
    private readonly jobs: SnapshotJobs,
    private readonly readModel: GlobeReadModel,
    private readonly mode: RunMode,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.mode.background('snapshot-scheduler', () => {
      this.subscription = this.projector.position$.pipe(auditTime(1000)).subscribe((position) => void this.byCount(position));
      void this.reconcile();
      this.reconcileTimer = setInterval(() => void this.reconcile(), RECONCILE_MS);
      this.reconcileTimer.unref();
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    for (const { job } of this.crons.values()) void job?.stop();
  }

  private async byCount(position: number): Promise<void> {
    try {
      const { snapshotEveryEvents } = await this.readModel.settings();
      if (snapshotEveryEvents === 0) return;
      this.lastSnapshotPosition ??= (await this.snapshots.list())[0]?.position ?? 0;
      if (position - this.lastSnapshotPosition < snapshotEveryEvents) return;
      this.lastSnapshotPosition = position;
      await this.jobs.takeSnapshot('auto', 'scheduler');
    } catch (error) {
      this.skip('snapshot by event count', error);
    }
  }

  private async reconcile(): Promise<void> {
    try {
      const settings = await this.readModel.settings();
      this.schedule('snapshot', settings.snapshotCron, async () => {
        const latest = (await this.snapshots.list())[0];
        if (!latest || latest.position < this.projector.position) await this.jobs.takeSnapshot('scheduled', 'scheduler');
      });
      this.schedule('compaction', settings.compactionCron, async () => void (await this.jobs.compact('scheduler', 'scheduler')));
    } catch (error) {
      this.skip('schedule reconciliation', error);
    }
  }

  private schedule(name: 'snapshot' | 'compaction', expression: string, run: () => Promise<void>): void {
    const current = this.crons.get(name);
    if (current?.expression === expression) return;
    void current?.job?.stop();
    let job: CronJob | null = null;
    if (expression) {
      try {
        job = CronJob.from({ cronTime: expression, onTick: () => run().catch((e) => this.skip(`scheduled ${name}`, e)), start: true });
      } catch (error) {
        this.logger.warn(`${name} schedule "${expression}" is not a valid cron expression; that schedule is off`);
      }
    }
    this.crons.set(name, { expression, job });
  }

  private skip(what: string, error: unknown): void {
    const code = (error as { code?: string }).code;
    if (code === 'JOB.ALREADY_RUNNING') return;
    this.logger.warn(`${what} skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
}
