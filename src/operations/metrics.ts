import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Subscription } from 'rxjs';
import { ArchiveService } from '../archive/archive.service';
import { BackupService } from '../backups/catalog/backup.service';
import { Clock } from '../common/clock';
import { EventStore } from '../events/event-store';
import { FINAL_JOB_STATES, JobView } from '../jobs/job';
import { JobRunner } from '../jobs/job-runner';
import { Projector } from '../projections/projector';

const SECONDS_BUCKETS_HTTP = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SECONDS_BUCKETS_JOBS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600];

/**
 * The service's Prometheus metrics (`GET /metrics`), in a registry of its own (one per app, so
 * apps in one test process do not share counters). Nothing here runs per event: the log's growth,
 * the projection's lag, the backups and the archive are read once per scrape; jobs and restores
 * are counted once per job, as they end; an HTTP answer costs one histogram observation.
 */
@Injectable()
export class Metrics implements OnApplicationBootstrap, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly http = new Histogram({
    name: 'globe_vault_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'],
    buckets: SECONDS_BUCKETS_HTTP,
    registers: [this.registry],
  });
  private readonly appended = counter(this.registry, 'globe_vault_events_appended_total', 'Events the log gained since this process started (seen from its head at each scrape)');
  private readonly head = gauge(this.registry, 'globe_vault_log_head_position', 'Position of the last event in the log');
  private readonly projected = gauge(this.registry, 'globe_vault_projection_position', 'Last position whose effects are in the read models');
  private readonly lag = gauge(this.registry, 'globe_vault_projection_lag_positions', 'Events in the log not yet in the read models');
  private readonly jobs = new Histogram({
    name: 'globe_vault_job_duration_seconds',
    help: 'Duration of ended jobs, by kind and outcome (completed, failed, cancelled)',
    labelNames: ['kind', 'outcome'],
    buckets: SECONDS_BUCKETS_JOBS,
    registers: [this.registry],
  });
  private readonly restores = new Counter({ name: 'globe_vault_restores_total', help: 'Restores (and undos) that ended, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  private readonly backups = gauge(this.registry, 'globe_vault_backups', 'Backups in the catalog');
  private readonly backupBytes = gauge(this.registry, 'globe_vault_backups_size_bytes', 'Total size of the backups in the catalog (one copy each)');
  private readonly backupSize = new Gauge({ name: 'globe_vault_backup_size_bytes', help: 'Size of the newest backup and of the newest verified one', labelNames: ['backup'], registers: [this.registry] });
  private readonly backupAge = new Gauge({ name: 'globe_vault_backup_age_seconds', help: 'Age of the newest backup and of the newest verified one', labelNames: ['backup'], registers: [this.registry] });
  private readonly archiveLag = new Gauge({ name: 'globe_vault_archive_lag_positions', help: 'Events not yet in the log archive (absent when not archiving)', labelNames: ['storage'], registers: [this.registry] });
  private readonly archiveLagSeconds = new Gauge({ name: 'globe_vault_archive_lag_seconds', help: 'How far the log archive is behind the log, in seconds (absent when not archiving)', labelNames: ['storage'], registers: [this.registry] });
  private seenHead: number | null = null;
  private subscription: Subscription | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly jobRunner: JobRunner,
    private readonly backupService: BackupService,
    private readonly archive: ArchiveService,
    private readonly clock: Clock,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.seenHead = await this.store.headPosition();
    this.subscription = this.jobRunner.updates$.subscribe((view) => this.jobEnded(view));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Express middleware, installed before the routes: one observation per answer, labelled by the route's template (`/api/locations/:id`). */
  readonly httpMiddleware = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.http.observe({ method: req.method, route, status_class: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
    });
    next();
  };

  /** The text a scrape answers, with the gauges read now. */
  async scrape(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }

  private jobEnded(view: JobView): void {
    if (!FINAL_JOB_STATES.includes(view.state) || !view.finishedAt) return;
    const seconds = Math.max(0, (Date.parse(view.finishedAt) - Date.parse(view.startedAt ?? view.createdAt)) / 1000);
    this.jobs.observe({ kind: view.kind, outcome: view.state }, seconds);
    if (view.kind === 'restore') this.restores.inc({ outcome: view.state });
  }

  private async refresh(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.seenHead !== null && head > this.seenHead) this.appended.inc(head - this.seenHead);
    this.seenHead = Math.max(this.seenHead ?? head, head);
    this.head.set(head);
    this.projected.set(this.projector.position);
    this.lag.set(Math.max(0, head - this.projector.position));
    await Promise.all([this.refreshBackups(), this.refreshArchive()]);
  }

  private async refreshBackups(): Promise<void> {
    const all = await this.backupService.list();
    this.backups.set(all.length);
    this.backupBytes.set(all.reduce((sum, b) => sum + b.size, 0));
    this.backupSize.reset();
    this.backupAge.reset();
    const now = this.clock.now();
    const newest = all[0];
    const verified = all.find((b) => b.lastVerifyResult === 'ok' && !b.lastDrillResult?.startsWith('failed'));
    for (const [label, backup] of [['newest', newest], ['newest_verified', verified]] as const) {
      if (!backup) continue;
      this.backupSize.set({ backup: label }, backup.size);
      this.backupAge.set({ backup: label }, Math.max(0, (now - Date.parse(backup.createdAt)) / 1000));
    }
  }

  private async refreshArchive(): Promise<void> {
    const status = await this.archive.status();
    this.archiveLag.reset();
    this.archiveLagSeconds.reset();
    if (!status) return;
    this.archiveLag.set({ storage: status.storage }, status.lag.positions);
    this.archiveLagSeconds.set({ storage: status.storage }, status.lag.seconds);
  }
}

const counter = (registry: Registry, name: string, help: string) => new Counter({ name, help, registers: [registry] });
const gauge = (registry: Registry, name: string, help: string) => new Gauge({ name, help, registers: [registry] });
