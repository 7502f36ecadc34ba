import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../common/app-error';
import { DomainError } from '../domain/domain-errors';
import { Clock } from '../common/clock';
import { NativeMemory } from '../common/native-memory';
import { asStorageFull } from '../common/storage-full';
import { AppConfig } from '../config/app-config';
import { FINAL_JOB_STATES, JobKind, JobState, JobView, ProgressUpdate } from './job';
import { JobRecords } from './job-records';
import { JobCancelledError, jobAlreadyRunning, jobNotCancellable, jobNotFound } from './job-errors';

/** At most this many progress emissions per job per second reach subscribers; the final state always does. */
const EMIT_INTERVAL_MS = 100;
/** Running jobs are persisted at most this often (and always on their final state). */
const PERSIST_INTERVAL_MS = 1000;
const SHUTDOWN_WAIT_MS = 10_000;

export interface JobContext {
  readonly id: string;
  /** Aborted when a user cancels the job; work checks it at safe points. */
  readonly signal: AbortSignal;
  progress(update: ProgressUpdate): void;
  /** Throws JobCancelledError when the job was cancelled: call it where stopping leaves nothing half-done. */
  throwIfCancelled(): void;
}

export interface StartJob {
  kind: JobKind;
  actor: string;
  params?: Record<string, unknown>;
  /** Refuse to start while another job of this kind runs (restore, compaction). */
  exclusive?: boolean;
  cancellable?: boolean;
}

interface ActiveJob {
  view: JobView;
  controller: AbortController;
  startedMs: number;
  lastEmit: number;
  lastPersist: number;
  trailing: NodeJS.Timeout | null;
  /** The last write of this job's record; the next one waits for it (see persistInOrder). */
  persisted: Promise<void>;
}

/**
 * The one runner of long work (import, backup, restore, snapshot, compaction, rebuild). It owns a
 * job's record and its progress stream: `updates$` emits a job's view on every throttled change and
 * exactly once in a final state. Records are persisted, so after a restart a job that was running
 * reads as failed with JOB.INTERRUPTED; the work's owner makes sure it left nothing half-done.
 */
@Injectable()
export class JobRunner implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(JobRunner.name);
  private readonly active = new Map<string, ActiveJob>();
  private readonly records: JobRecords;
  private readonly running = new Set<Promise<void>>();
  private stopping = false;
  private readonly updates = new Subject<JobView>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.records = new JobRecords(dataSource);
  }

  get updates$(): Observable<JobView> {
    return this.updates.asObservable();
  }

  /**
   * On shutdown, asks every running job to stop and waits for them (at most SHUTDOWN_WAIT_MS), before
   * the stores close under them. A job that stops this way is recorded as interrupted; one that does
   * not stop in time stays `running` in its record and reads as interrupted after the restart.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    for (const job of this.active.values()) job.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => (timer = setTimeout(r, SHUTDOWN_WAIT_MS)))]);
    clearTimeout(timer);
  }

  async onModuleInit(): Promise<void> {
    for (const view of await this.records.unfinished()) {
      const error = { code: 'JOB.INTERRUPTED', message: 'the service stopped while this job ran; its work was rolled back or left to its owner to resume' };
      await this.records.write({ ...view, state: 'failed', error, cancellable: false, finishedAt: this.iso(), updatedAt: this.iso() });
    }
  }

  /**
   * Lets the owner of a kind of job settle the ones the last stop interrupted: `resolve` looks in
   * the log for the work's outcome and returns the job's result when the work had in fact committed
   * (the job then reads as completed, as it was), or null to leave it interrupted.
   */
  async settleInterrupted(kind: JobKind, resolve: (view: JobView) => Promise<unknown | null>): Promise<void> {
    for (const view of await this.records.recentFailed(kind)) {
      if (view.error?.code !== 'JOB.INTERRUPTED') continue;
      const result = await resolve(view);
      if (result === null) continue;
      await this.records.write({ ...view, state: 'completed', phase: 'done', error: null, result, updatedAt: this.iso() });
    }
  }

  /** Creates the job and runs `work` in the background; answers at once with the queued job. */
  async start<R>(spec: StartJob, work: (ctx: JobContext) => Promise<R>): Promise<JobView> {
    if (spec.exclusive) {
      const running = [...this.active.values()].find((j) => j.view.kind === spec.kind);
      if (running) throw jobAlreadyRunning(spec.kind, running.view.id);
    }
    const now = this.iso();
    const view: JobView = {
      id: uuidv7(),
      kind: spec.kind,
      state: 'queued',
      phase: 'queued',
      done: 0,
      total: null,
      bytes: 0,
      bytesTotal: null,
      rate: null,
      etaSeconds: null,
      actor: spec.actor,
      params: spec.params ?? {},
      result: null,
      error: null,
      cancellable: spec.cancellable ?? true,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      updatedAt: now,
    };
    const job: ActiveJob = { view, controller: new AbortController(), startedMs: this.clock.now(), lastEmit: 0, lastPersist: 0, trailing: null, persisted: Promise.resolve() };
    this.active.set(view.id, job);
    try {
      await this.persistInOrder(job, view);
    } catch (error) {
      // never started: it must not hold its kind's place (exclusive jobs) or read as queued
      this.active.delete(view.id);
      throw error;
    }
    this.updates.next(view);
    const running = new Promise<void>((r) => setImmediate(r)).then(() => this.run(job, work));
    this.running.add(running);
    void running.finally(() => this.running.delete(running));
    return { ...view };
  }

  /** A job of one of these kinds that is queued or running in this process, if any (readiness: a rebuild or restore under way). */
  activeOf(kinds: readonly JobKind[]): JobView | undefined {
    const job = [...this.active.values()].find((j) => kinds.includes(j.view.kind));
    return job && { ...job.view };
  }

  async get(id: string): Promise<JobView> {
    const current = this.active.get(id)?.view ?? this.records.unsaved.get(id);
    if (current) return { ...current };
    const recorded = await this.records.find(id);
    if (!recorded) throw jobNotFound(id);
    return recorded;
  }

  async list(filter: { kind?: JobKind; state?: JobState; limit: number }): Promise<JobView[]> {
    return (await this.records.list(filter)).map((v) => this.active.get(v.id)?.view ?? this.records.unsaved.get(v.id) ?? v);
  }

  /** The job's view once it is in a final state (at once if it already is). */
  finished(id: string): Promise<JobView> {
    return new Promise<JobView>((resolve, reject) => {
      // Subscribed before the look at its current state: a job that ends in between is seen either way.
      const subscription = this.updates.subscribe((view) => {
        if (view.id !== id || !FINAL_JOB_STATES.includes(view.state)) return;
        subscription.unsubscribe();
        resolve(view);
      });
      this.get(id).then(
        (view) => {
          if (!FINAL_JOB_STATES.includes(view.state)) return;
          subscription.unsubscribe();
          resolve(view);
        },
        (error: unknown) => {
          subscription.unsubscribe();
          reject(error);
        },
      );
    });
  }

  /** Asks a running job to stop; it ends as `cancelled` once its work reaches a safe point. */
  async cancel(id: string): Promise<JobView> {
    const job = this.active.get(id);
    if (!job) {
      const view = await this.get(id);
      throw jobNotCancellable(id, view.state);
    }
    if (!job.view.cancellable) throw jobNotCancellable(id, `${job.view.state}, phase ${job.view.phase}`);
    job.controller.abort();
    return { ...job.view };
  }

  private async run<R>(job: ActiveJob, work: (ctx: JobContext) => Promise<R>): Promise<void> {
    job.startedMs = this.clock.now();
    this.update(job, { state: 'running', phase: 'starting', startedAt: this.iso() });
    const ctx: JobContext = {
      id: job.view.id,
      signal: job.controller.signal,
      progress: (update) => this.update(job, update),
      throwIfCancelled: () => {
        if (job.controller.signal.aborted) throw new JobCancelledError(job.view.id);
      },
    };
    try {
      const result = await work(ctx);
      await this.finish(job, { state: 'completed', phase: 'done', result: result ?? null });
    } catch (thrown) {
      const error = asStorageFull(thrown, this.config.values.dataDir);
      if (this.stopping) {
        const interrupted = { code: 'JOB.INTERRUPTED', message: 'the service stopped while this job ran; its work was rolled back or left to its owner to resume' };
        await this.finish(job, { state: 'failed', phase: 'interrupted', error: interrupted });
        return;
      }
      const coded = error instanceof AppError || error instanceof DomainError;
      if (error instanceof JobCancelledError || (job.controller.signal.aborted && !coded)) {
        await this.finish(job, { state: 'cancelled', phase: 'cancelled', error: { code: 'JOB.CANCELLED', message: 'cancelled by a user' } });
        return;
      }
      if (!coded) this.logger.error(`job ${job.view.id} (${job.view.kind}) failed`, error instanceof Error ? error.stack : error);
      const jobError =
        coded
          ? { code: error.code, message: error.message, details: error.details }
          : { code: 'JOB.FAILED', message: error instanceof Error ? error.message : String(error) };
      await this.finish(job, { state: 'failed', phase: 'failed', error: jobError });
    }
  }

  private update(job: ActiveJob, update: ProgressUpdate & Partial<JobView>): void {
    const now = this.clock.now();
    const phaseChanged = update.phase !== undefined && update.phase !== job.view.phase;
    const view = { ...job.view, ...update, updatedAt: new Date(now).toISOString() };
    const seconds = (now - job.startedMs) / 1000;
    view.rate = seconds > 0 && view.done > 0 ? Math.round(view.done / seconds) : null;
    view.etaSeconds = view.rate && view.total !== null ? Math.max(0, Math.round((view.total - view.done) / view.rate)) : null;
    job.view = view;
    if (now - job.lastPersist >= PERSIST_INTERVAL_MS) {
      job.lastPersist = now;
      void this.persistInOrder(job, view).catch((e) => this.logger.warn(`could not persist job ${view.id}: ${e}`));
    }
    // A new phase is a milestone (the CLI prints a line per phase, the UI names it): never throttled away.
    if (phaseChanged || now - job.lastEmit >= EMIT_INTERVAL_MS) this.emit(job);
    else job.trailing ??= setTimeout(() => this.emit(job), EMIT_INTERVAL_MS - (now - job.lastEmit));
  }

  private emit(job: ActiveJob): void {
    if (job.trailing) clearTimeout(job.trailing);
    job.trailing = null;
    job.lastEmit = this.clock.now();
    if (!FINAL_JOB_STATES.includes(job.view.state)) this.updates.next({ ...job.view });
  }

  private async finish(job: ActiveJob, final: Partial<JobView>): Promise<void> {
    if (job.trailing) clearTimeout(job.trailing);
    job.trailing = null;
    const view: JobView = { ...job.view, ...final, cancellable: false, finishedAt: this.iso(), updatedAt: this.iso() };
    if (view.state === 'completed' && view.total !== null) view.etaSeconds = 0;
    job.view = view;
    // The final record must not take the process down if the store is already gone (shutdown):
    // the job then reads as interrupted after the restart, which is true.
    await this.persistInOrder(job, view).catch((e) => {
      this.records.unsaved.set(view.id, view);
      this.logger.warn(`could not persist the end of job ${view.id}: ${e}`);
    });
    this.active.delete(view.id);
    this.updates.next({ ...view });
    // Long work leaves freed native memory resident (see NativeMemory): hand it back once it ends.
    NativeMemory.releaseSoon();
  }

  /**
   * Writes a job's records one after another, in the order its views were made. Unchained, a
   * progress write still in flight could land after the final one and leave a finished job recorded
   * as running (a job that ends within the turn it started did). A failed write is reported by its
   * own caller and does not stop the next.
   */
  private persistInOrder(job: ActiveJob, view: JobView): Promise<void> {
    job.persisted = job.persisted.catch(() => undefined).then(() => this.records.write(view));
    return job.persisted;
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
