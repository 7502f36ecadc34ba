import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../common/clock';
import { NativeMemory } from '../common/native-memory';
import { EventMetadata } from '../domain/event-metadata';
import { GlobeEvent } from '../domain/events';
import { ConflictStrategy, RestoreCounts, RestoreScope, RestoreTarget, passphraseOf, publicTarget } from '../domain/restore';
import { keyMissing, passphraseRequired } from '../backups/format/backup-format-errors';
import { KeyRing } from '../config/key-ring';
import { BackupService } from '../backups/catalog/backup.service';
import { BackupTargetStates } from '../backups/reading/backup-target-states';
import { EventStore, NewEvent } from '../events/event-store';
import { HeadMovedError } from '../events/event-store.errors';
import { JobContext, JobRunner } from '../jobs/job-runner';
import { Projector } from '../projections/projector';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { LiveReadModels } from '../projections/live-read-models';
import { LiveComparison, StateDiff, TargetState, emptyCounts } from '../projections/target-state';
import { TouchedIds } from '../projections/touched-ids';
import { TargetHistory } from './target-history';
import { ArchivePreview } from './archive-preview';
import { HistoryAdoption } from './history-adoption';
import { PreviewClaims, signPreview, verifyPreview } from './preview-token';
import { previewMismatch, previewStale, restoreConflicts, targetInFuture } from './recovery-errors';
import { LiveChanges, Overrides } from '../domain/restore-plan';
import { RestorePointsService } from './restore-points.service';
import { restorePointCreated } from '../domain/restore-point';
import { StateAtService } from './state-at.service';
import { SERVER_SECRET } from '../common/server-secret.provider';

export const restoreStream = (restoreId: string) => `restore-${restoreId}`;

export interface Preview extends StateDiff {
  previewToken: string;
  target: RestoreTarget;
  position: number;
  basePosition: number;
  scope: RestoreScope;
  snapshotPosition: number;
  replayedEvents: number;
}

interface RestoreRun {
  restoreId: string;
  /** Without a passphrase (see publicTarget); `passphrase` carries it, in memory only. */
  target: RestoreTarget;
  passphrase?: string;
  position: number;
  scope: RestoreScope;
  strategy: ConflictStrategy;
  overrides: Overrides;
  /** The head the restore must find unchanged; null: whatever it is when the restore writes (undo). */
  basePosition: number | null;
  undoOf: string | null;
  metadata: Omit<EventMetadata, 'correlationId'>;
}

/**
 * Point-in-time restore as a write, never a rewind: the difference between the live state and the
 * state at the target is appended as compensating events between RestoreStarted and
 * RestoreCompleted markers, in ONE append. A restore is therefore all or nothing (a crash leaves the
 * log before or after it, never between), nothing is ever deleted, and undoing it is restoring the
 * position its RestoreStarted recorded as its base.
 */
@Injectable()
export class RestoreService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RestoreService.name);
  private readonly history: TargetHistory;

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly stateAt: StateAtService,
    private readonly backupStates: BackupTargetStates,
    private readonly backups: BackupService,
    private readonly adoption: HistoryAdoption,
    private readonly fromArchive: ArchivePreview,
    private readonly snapshots: SnapshotStore,
    private readonly restorePoints: RestorePointsService,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    private readonly readModels: LiveReadModels,
    @Inject(SERVER_SECRET) private readonly secret: Buffer,
    private readonly keys: KeyRing,
  ) {
    this.history = new TargetHistory(store);
  }

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

  /** The log position a target names. */
  async resolve(target: RestoreTarget): Promise<number> {
    const head = await this.store.headPosition();
    if ('position' in target) {
      if (target.position > head) throw targetInFuture(target.position, head);
      return target.position;
    }
    if ('at' in target) return this.store.positionAt(target.at);
    if ('backupId' in target) return (await this.backups.get(target.backupId)).headPosition;
    return (await this.restorePoints.find(target.restorePointId)).position;
  }

  /** Runs `fn` with the target's state: the log's at a position, or a backup file's. */
  private withTarget<R>(target: RestoreTarget, position: number, passphrase: string | undefined, fn: (state: TargetState) => Promise<R>): Promise<R> {
    const built = 'backupId' in target ? this.backupStates.use(target.backupId, passphrase, fn) : this.stateAt.use(position, fn);
    // Building a target state is bulk work (a scratch database, a decoded file): see NativeMemory.
    return built.finally(() => NativeMemory.releaseSoon());
  }

  async preview(requested: RestoreTarget, scope: RestoreScope): Promise<Preview> {
    const target = publicTarget(requested);
    // An empty instance restores a time or a position from the archive, the storage alone.
    if (('at' in target || 'position' in target) && (await this.fromArchive.applies(target))) return this.fromArchive.preview(target, scope);
    const position = await this.resolve(target);
    await this.projector.waitFor(await this.store.headPosition());
    // Read from the log while the target state is built (its snapshot decompresses off this thread).
    const base = await this.readModels.checkpoint();
    const touched = this.history.touched(target, position, base);
    const changes = this.history.liveChanges(target, position, base);
    touched.catch(() => undefined);
    changes.catch(() => undefined);
    return this.withTarget(target, position, passphraseOf(requested), async (state) => {
      const { diff, basePosition } = await state.diffWithLive(scope, base, await touched, await changes);
      const claims: PreviewClaims = { v: 1, target, position, scope, basePosition, issuedAt: new Date(this.clock.now()).toISOString() };
      return {
        previewToken: signPreview(claims, this.secret),
        target,
        position,
        basePosition,
        scope,
        snapshotPosition: state.snapshotPosition,
        replayedEvents: state.replayed,
        ...diff,
      };
    });
  }

  /** Starts the restore a preview described; refuses at once (409, nothing written) if the data moved since. */
  async start(previewToken: string, strategy: ConflictStrategy, overrides: Overrides, metadata: RestoreRun['metadata'], passphrase?: string) {
    const claims = verifyPreview(previewToken, this.secret);
    const head = await this.store.headPosition();
    if (head !== claims.basePosition) throw previewStale(claims.basePosition, head);
    if ('backupId' in claims.target) await this.checkSecret(claims.target.backupId, passphrase);
    if (strategy === 'fail') {
      const touched = await this.history.touched(claims.target, claims.position, head);
      const changes = await this.history.liveChanges(claims.target, claims.position, head);
      const diff = await this.withTarget(claims.target, claims.position, passphrase, (state) => state.diffWithLive(claims.scope, head, touched, changes));
      if (diff.diff.conflicts.count > 0) throw restoreConflicts(diff.diff.conflicts.count);
    }
    return this.launch({ ...claims, restoreId: uuidv7(), strategy, overrides, undoOf: null, metadata, passphrase });
  }

  /** Refuses at once (before any job) a backup that cannot be opened: no passphrase for one that needs it, or a server key this server lacks. */
  private async checkSecret(backupId: string, passphrase: string | undefined): Promise<void> {
    const backup = await this.backups.get(backupId);
    if (backup.keyId !== null && !this.keys.find(backup.keyId)) throw keyMissing(backup.keyId);
    if (backup.encrypted && backup.keyId === null && !passphrase) throw passphraseRequired();
  }

  /**
   * Restores the state just before `restoreId` began, for the same scope: itself a restore, undoable
   * in turn. Given the token of the undo's preview, the data must not have moved since it (as for
   * `start`: checked now, and again by the append's expected head).
   */
  async undo(started: { restoreId: string; basePosition: number; scope: RestoreScope }, metadata: RestoreRun['metadata'], previewToken?: string) {
    let basePosition: number | null = null;
    if (previewToken !== undefined) {
      const claims = verifyPreview(previewToken, this.secret);
      const sameTarget = 'position' in claims.target && claims.target.position === started.basePosition && canonicalScope(claims.scope) === canonicalScope(started.scope);
      if (!sameTarget) throw previewMismatch(started.restoreId);
      const head = await this.store.headPosition();
      if (head !== claims.basePosition) throw previewStale(claims.basePosition, head);
      basePosition = claims.basePosition;
    }
    return this.launch({
      restoreId: uuidv7(),
      target: { position: started.basePosition },
      position: started.basePosition,
      scope: started.scope,
      strategy: 'target-wins',
      overrides: {},
      basePosition,
      undoOf: started.restoreId,
      metadata,
    });
  }

  private async launch(run: RestoreRun): Promise<{ jobId: string; restoreId: string }> {
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
    const touched = await this.history.touched(run.target, run.position, base);
    const changes = await this.history.liveChanges(run.target, run.position, base);
    const appended = await this.withTarget(run.target, run.position, run.passphrase, async (state) => {
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

/** A scope as one comparable string (keys in one order, datasets sorted): the same scope however it was written. */
const canonicalScope = (scope: RestoreScope) =>
  JSON.stringify({ datasets: scope.datasets ? [...scope.datasets].sort() : null, settings: scope.settings ?? false, configurations: scope.configurations ?? false });
