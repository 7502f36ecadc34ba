import { Inject, Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { ArchivePoint, ArchiveReading, ArchiveTarget, emptyReading } from '../archive/archive-history';
import { BackupTargetStates } from '../backups/reading/backup-target-states';
import { listSegments } from '../archive/archive-catalog';
import { ArchiveService } from '../archive/archive.service';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { RestoreScope, RestoreTarget } from '../domain/restore';
import { EventStore, RecordedEvent } from '../events/event-store';
import { TargetStates } from '../projections/target-states';
import { CloudRestorePlan, CloudRestorePlanner, namingBackup } from './cloud-restore-plan';
import { PreviewClaims, signPreview } from './preview-token';
import type { Preview } from './restore.service';
import { SERVER_SECRET } from '../common/server-secret.provider';

/** One object a restore from the storage reads: the base backup's file, or an archived segment. */
export interface ReadObject {
  kind: 'backup' | 'segment';
  storage: string;
  key: string;
  bytes: number;
  from: number;
  to: number;
}

/** What a restore from the archive will read, as its preview shows it. */
export interface ArchivePreviewPart {
  storage: string;
  /** The epoch the segments are read from; 0 when none is read (the target is the backup's head). */
  epoch: number;
  /** The backup the history starts from (its head and before), or null: the archive alone from position 1. */
  backup: { id: string; key: string; storage: string; headPosition: number } | null;
  /** In reading order: the backup first, then the segments after its head up to the target. */
  objects: ReadObject[];
  bytes: number;
  /** The archived event the target lands on. */
  target: ArchivePoint;
}

/**
 * The preview of a restore from the storage alone: on an instance whose log is empty, a time or
 * position target is looked up in the storages (the backups and ARCHIVE_STORAGE), not in the
 * empty log. The plan (CloudRestorePlanner) is the newest backup at or before the target, whose
 * state is the starting point, and the archived segments after its head; without one, the
 * archive from position 1. The segments up to the target are read and verified object by object
 * (a hole, a damaged object or a broken chain fails the preview with ARCHIVE.GAP /
 * ARCHIVE.CHECKSUM_MISMATCH / ARCHIVE.CHAIN_MISMATCH naming it, and the newest point still
 * reachable) and folded into a scratch state, which is diffed with the (empty) live one like any
 * target. The restore then adopts that same history (HistoryAdoption.adoptArchive).
 */
@Injectable()
export class ArchivePreview {
  constructor(
    private readonly log: EventStore,
    private readonly archive: ArchiveService,
    private readonly planner: CloudRestorePlanner,
    private readonly backupStates: BackupTargetStates,
    private readonly clock: Clock,
    private readonly states: TargetStates,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SERVER_SECRET) private readonly secret: Buffer,
  ) {}

  /** Whether this target is read from the archive: an empty log, an archive holding segments, a time or a position. */
  async applies(target: RestoreTarget): Promise<boolean> {
    if (!this.archive.history || !('at' in target || 'position' in target)) return false;
    if ((await this.log.headPosition()) !== 0) return false;
    return (await listSegments(this.archive.store!)).length > 0;
  }

  async preview(target: ArchiveTarget, scope: RestoreScope): Promise<Preview & { archive: ArchivePreviewPart }> {
    const history = this.archive.history!;
    const plan = await this.planner.plan(target);
    const { source, backup } = plan;
    const reading = emptyReading();
    const path = join(tmpDirOf(this.config), `state-archive-${uuidv7()}.sqlite`);
    if (backup) await this.copyBackupState(plan, path);
    const replayed = await this.fold(history.events(source, target, reading), path, !!backup);
    const state = await this.states.open(path, reading.target.position, backup?.head.position ?? 0, replayed);
    try {
      const { diff } = await state.diffWithLive(scope, 0, null, null);
      const position = reading.target.position;
      const claims: PreviewClaims = { v: 1, target, position, scope, basePosition: 0, issuedAt: new Date(this.clock.now()).toISOString() };
      return {
        previewToken: signPreview(claims, this.secret),
        target,
        position,
        basePosition: 0,
        scope,
        snapshotPosition: backup?.head.position ?? 0,
        replayedEvents: replayed,
        ...diff,
        archive: partOf(plan, reading),
      };
    } finally {
      await state.close();
    }
  }

  /** The base backup's state (read and checked whole by BackupTargetStates), copied to `path`. */
  private async copyBackupState({ backup }: CloudRestorePlan, path: string): Promise<void> {
    await this.backupStates
      .use(backup!.id, backup!.passphrase, (state) => this.states.exportFile(state.path, path))
      .catch(async (error: unknown) => {
        await rm(path, { force: true });
        throw namingBackup(error, backup!);
      });
  }

  /** The events folded into the state at `path` (fresh, or a base state already there); nothing is left there if the fold fails. */
  private async fold(events: AsyncIterable<RecordedEvent>, path: string, onBase: boolean): Promise<number> {
    try {
      if (!onBase) await this.states.createEmpty(path);
      return await this.states.replay(path, events);
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }
}

/** The objects in reading order, with their bytes: the backup's file, then the segments. */
function partOf({ backup, source }: CloudRestorePlan, reading: ArchiveReading): ArchivePreviewPart {
  const objects: ReadObject[] = reading.objects.map((o) => ({ kind: 'segment', storage: source.storage, ...o }));
  if (backup) objects.unshift({ kind: 'backup', storage: backup.storage, key: backup.key, bytes: backup.bytes, from: 1, to: backup.head.position });
  return {
    storage: source.storage,
    epoch: backup && reading.objects.length === 0 ? 0 : source.epoch,
    backup: backup && { id: backup.id, key: backup.key, storage: backup.storage, headPosition: backup.head.position },
    objects,
    bytes: objects.reduce((sum, o) => sum + o.bytes, 0),
    target: reading.target,
  };
}
