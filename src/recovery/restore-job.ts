import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { EventMetadata } from '../domain/event-metadata';
import { GlobeEvent } from '../domain/events';
import { RestoreCounts } from '../domain/restore';
import { LiveChanges } from '../domain/restore-plan';
import { restorePointCreated } from '../domain/restore-point';
import { EventStore, NewEvent } from '../events/event-store';
import { HeadMovedError } from '../events/event-store.errors';
import { JobContext, JobRunner } from '../jobs/job-runner';
import { Projector } from '../projections/projector';
import { LiveComparison, emptyCounts } from '../projections/target-state';
import { TouchedIds } from '../projections/touched-ids';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { HistoryAdoption } from './history-adoption';
import { previewStale } from './recovery-errors';
import { RestoreRun, restoreStream } from './restore-run';
import { RestoreTargets } from './restore-targets';

/**
 * The job that executes a restore (RestoreService accepts it: preview, start, undo). Point-in-time
 * restore as a write, never a rewind: the difference between the live state and the state at the
 * target is appended as compensating events between RestoreStarted and RestoreCompleted markers, in
 * ONE append with the expected head. A restore is therefore all or nothing (a crash leaves the log
 * before or after it, never between), nothing is ever deleted, and undoing it is restoring the
 * position its RestoreStarted recorded as its base. Its walk: adopt the target's history onto an
 * empty log (HistoryAdoption), a pre-restore snapshot, the target's state (RestoreTargets), the
 * append, the projection.
 */
@Injectable()
export class RestoreJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RestoreJob.name);

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly targets: RestoreTargets,
    private readonly adoption: HistoryAdoption,
    private readonly snapshots: SnapshotStore,
    private readonly jobs: JobRunner,
  ) {}

  /** A restore whose job a crash interrupted after its append committed is complete: say so. */
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.settleInterrupted('restore', async (view) => {
      const restoreId = String(view.params.restoreId);
      for await (const event of this.store.readStream(restoreStream(restoreId))) {
        if (event.type === 'RestoreCompleted') return { restoreId, counts: event.data.counts, completedBeforeRestart: true };
      }
      return null;
    });
  }

  /** Starts the restore's job (exclusive: one restore, rebuild or compaction at a time). */
  async launch(run: RestoreRun): Promise<{ jobId: string; restoreId: string }> {
    const job = await this.jobs.start(
      {
        kind: 'restore',
        actor: run.metadata.actor,
        exclusive: true,
        cancellable: false,
        params: { restoreId: run.restoreId, target: run.target, position: run.position, scope: run.scope, strategy: run.strategy, undoOf: run.undoOf },
      },
      (ctx) => this.execute(ctx, run),
    );
    return { jobId: job.id, restoreId: run.restoreId };
  }

  private async execute(job: JobContext, run: RestoreRun) {
    // Onto an empty log the target's own history comes first, when it can (HistoryAdoption); `installed`:
    // the live state at `base` was then loaded from the target's own state.
    const { base, installed } = await this.adoption.adoptOntoEmptyLog(run, run.basePosition ?? (await this.store.headPosition()), job);
    job.progress({ phase: 'snapshot' });
    await this.projector.waitFor(base);
    if (!(await this.snapshots.hasAt(base))) {
      // The copy is taken now; a worker finishes the snapshot while the restore computes and writes.
      // An undo's stateAt waits for it; if it fails, the undo replays from an older one instead.
      const pending = await this.snapshots.begin('pre-restore');
      pending.done.catch((error) => this.logger.warn(`pre-restore snapshot at ${base} failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    job.progress({ phase: 'computing' });
    const counts = emptyCounts();
    const touched = await this.targets.history.touched(run.target, run.position, base);
    const changes = await this.targets.history.liveChanges(run.target, run.position, base);
    const appended = await this.targets.use(run.target, run.position, run.passphrase, async (state) => {
      job.progress({ phase: 'writing' });
      return state.withLive(async (live) => {
        if (live.position !== base) throw previewStale(base, live.position);
        // When installed, the live state was loaded from this very state at `base` and has not moved: nothing differs.
        return this.store
          .append(restoreStream(run.restoreId), this.restoreEvents(live, { ...run, changes }, base, counts, touched, installed), 'no_stream', { expectedHead: base })
          .catch((error) => {
            throw error instanceof HeadMovedError ? previewStale(base, (error.details as { actual: number }).actual) : error;
          });
      });
    });
    job.progress({ phase: 'projecting' });
    await this.projector.waitFor(appended.lastPosition);
    return { restoreId: run.restoreId, counts, basePosition: base, firstPosition: appended.firstPosition, lastPosition: appended.lastPosition };
  }

  private *restoreEvents(live: LiveComparison, run: RestoreRun & { changes: LiveChanges }, base: number, counts: RestoreCounts, touched: TouchedIds | null, same = false): Generator<NewEvent> {
    const metadata: EventMetadata = { ...run.metadata, correlationId: run.restoreId };
    const wrap = (e: GlobeEvent): NewEvent => ({ ...e, metadata });
    yield wrap(restorePointCreated(uuidv7(), `Before restore ${run.restoreId}`, base, true));
    yield wrap({
      type: 'RestoreStarted',
      data: { restoreId: run.restoreId, target: run.target, scope: run.scope, strategy: run.strategy, basePosition: base, undoOf: run.undoOf },
    });
    if (!same) for (const event of live.compensatingEvents(run.scope, run, counts, touched)) yield wrap(event);
    yield wrap({ type: 'RestoreCompleted', data: { restoreId: run.restoreId, counts } });
  }
}
