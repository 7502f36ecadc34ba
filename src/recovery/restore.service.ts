import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../common/clock';
import { ConflictStrategy, RestoreScope, RestoreTarget, passphraseOf, publicTarget } from '../domain/restore';
import { Overrides } from '../domain/restore-plan';
import { keyMissing, passphraseRequired } from '../backups/format/backup-format-errors';
import { BackupService } from '../backups/catalog/backup.service';
import { SERVER_SECRET } from '../common/server-secret.provider';
import { KeyRing } from '../config/key-ring';
import { EventStore } from '../events/event-store';
import { LiveReadModels } from '../projections/live-read-models';
import { Projector } from '../projections/projector';
import { StateDiff } from '../projections/target-state';
import { ArchivePreview } from './archive-preview';
import { PreviewClaims, signPreview, verifyPreview } from './preview-token';
import { previewMismatch, previewStale, restoreConflicts, targetInFuture } from './recovery-errors';
import { RestoreJob } from './restore-job';
import { RestorePointsService } from './restore-points.service';
import { RestoreRun } from './restore-run';
import { RestoreTargets } from './restore-targets';

export { restoreStream } from './restore-run';

export interface Preview extends StateDiff {
  previewToken: string;
  target: RestoreTarget;
  position: number;
  basePosition: number;
  scope: RestoreScope;
  snapshotPosition: number;
  replayedEvents: number;
}

/**
 * The restore API: resolve a target, preview it (the diff and a signed token binding the target and
 * the head), start what a preview described, undo a restore. Each accepted restore is executed by
 * RestoreJob (restore-job.ts), which states the all-or-nothing guarantee.
 */
@Injectable()
export class RestoreService {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly targets: RestoreTargets,
    private readonly job: RestoreJob,
    private readonly backups: BackupService,
    private readonly fromArchive: ArchivePreview,
    private readonly restorePoints: RestorePointsService,
    private readonly clock: Clock,
    private readonly readModels: LiveReadModels,
    @Inject(SERVER_SECRET) private readonly secret: Buffer,
    private readonly keys: KeyRing,
  ) {}

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

  async preview(requested: RestoreTarget, scope: RestoreScope): Promise<Preview> {
    const target = publicTarget(requested);
    // An empty instance restores a time or a position from the archive, the storage alone.
    if (('at' in target || 'position' in target) && (await this.fromArchive.applies(target))) return this.fromArchive.preview(target, scope);
    const position = await this.resolve(target);
    await this.projector.waitFor(await this.store.headPosition());
    // Read from the log while the target state is built (its snapshot decompresses off this thread).
    const base = await this.readModels.checkpoint();
    const touched = this.targets.history.touched(target, position, base);
    const changes = this.targets.history.liveChanges(target, position, base);
    touched.catch(() => undefined);
    changes.catch(() => undefined);
    return this.targets.use(target, position, passphraseOf(requested), async (state) => {
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
      const touched = await this.targets.history.touched(claims.target, claims.position, head);
      const changes = await this.targets.history.liveChanges(claims.target, claims.position, head);
      const diff = await this.targets.use(claims.target, claims.position, passphrase, (state) => state.diffWithLive(claims.scope, head, touched, changes));
      if (diff.diff.conflicts.count > 0) throw restoreConflicts(diff.diff.conflicts.count);
    }
    return this.job.launch({ ...claims, restoreId: uuidv7(), strategy, overrides, undoOf: null, metadata, passphrase });
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
    return this.job.launch({
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

}

/** A scope as one comparable string (keys in one order, datasets sorted): the same scope however it was written. */
const canonicalScope = (scope: RestoreScope) =>
  JSON.stringify({ datasets: scope.datasets ? [...scope.datasets].sort() : null, settings: scope.settings ?? false, configurations: scope.configurations ?? false });
