import { Injectable, Logger } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { ArchiveTarget, emptyReading } from '../archive/archive-history';
import { ArchiveService } from '../archive/archive.service';
import { AppError } from '../common/app-error';
import { APP_VERSION } from '../backups/app-version';
import { BackupService } from '../backups/catalog/backup.service';
import { BackupTargetStates } from '../backups/reading/backup-target-states';
import { FetchedBackups } from '../backups/reading/fetched-backups';
import { createReadStream } from 'node:fs';
import { BackupRecord } from '../backups/format/backup-record';
import { openBackup } from '../backups/format/read-backup-records';
import { backupStateKey, PreparedBackups } from '../backups/prepared/prepared-backups';
import { KeyRing } from '../config/key-ring';
import { RestoreScope, RestoreTarget, isWholeScope } from '../domain/restore';
import { EventStore, RecordedEvent } from '../events/event-store';
import { JobContext } from '../jobs/job-runner';
import { Projector } from '../projections/projector';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { BaseBackup, CloudRestorePlanner, namingBackup } from './cloud-restore-plan';
import { StateAtService } from './state-at.service';

/**
 * On an empty instance, a whole restore from a backup with history brings the history itself: the
 * log becomes the original one, event for event, so the audit trail and point-in-time recovery
 * carry over. The compensating events that follow are then none (the states are equal), but the
 * restore is still recorded by its markers.
 */
@Injectable()
export class HistoryAdoption {
  private readonly logger = new Logger(HistoryAdoption.name);

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly stateAt: StateAtService,
    private readonly backupStates: BackupTargetStates,
    private readonly backups: BackupService,
    private readonly prepared: PreparedBackups,
    private readonly snapshots: SnapshotStore,
    private readonly keys: KeyRing,
    private readonly archive: ArchiveService,
    private readonly planner: CloudRestorePlanner,
    private readonly fetched: FetchedBackups,
  ) {}

  /**
   * The one call a restore's job makes before it compares: onto an empty log (`base` 0), brings
   * the target's own history when it can. A whole-scope restore from a backup with history adopts
   * the backup's (staged while it was uploaded, if it was: PreparedBackups); a time or a position
   * that the archive's preview found (ArchivePreview: only it names a position on an empty log)
   * adopts the archive's. Answers the base the restore writes on, and whether the live state was
   * loaded from the target's own state (then equal to it at that base). Otherwise changes nothing.
   */
  async adoptOntoEmptyLog(
    run: { target: RestoreTarget; position: number; scope: RestoreScope; passphrase?: string },
    base: number,
    job: JobContext,
  ): Promise<{ base: number; installed: boolean }> {
    let installed = false;
    if (base === 0 && 'backupId' in run.target && isWholeScope(run.scope) && (await this.backups.get(run.target.backupId)).includesHistory) {
      job.progress({ phase: 'adopting history' });
      // A backup of a compacted log holds only the recent history: it cannot stand alone, so the
      // state is restored by compensating events instead (the store stays empty on refusal).
      const adopted = await this.adopt(run.target.backupId, run.passphrase).catch((error) => {
        if ((error as { code?: string }).code === 'EVENTS.INCOMPLETE_HISTORY') return { head: 0, installed: false };
        throw error;
      });
      base = adopted.head;
      installed = adopted.installed;
    }
    if (base === 0 && run.position > 0 && ('at' in run.target || 'position' in run.target)) {
      job.progress({ phase: 'adopting archive' });
      base = await this.adoptArchive(run.target, run.position, job);
    }
    return { base, installed };
  }

  /**
   * Adopts the history up to `position` (what the preview of `target` found) into the empty log,
   * as the same plan reads it (CloudRestorePlanner): the base backup's history up to its head, then
   * the archived segments after it; and has it projected (from the backup's state when this app
   * version wrote it). Answers the new head. Every object is read and verified before adoptHistory
   * commits: a hole, a damaged object, a broken chain, or an archive that now answers another
   * position for the target leaves the log empty (the error names why).
   */
  private async adoptArchive(target: ArchiveTarget, position: number, job: JobContext): Promise<number> {
    const plan = await this.planner.plan(target);
    const reading = emptyReading();
    const report = async function* (events: AsyncIterable<RecordedEvent>) {
      for await (const event of events) {
        if (event.position % 1000 === 0) job.progress({ phase: 'adopting archive', done: event.position, total: position, bytes: reading.bytes });
        yield event;
      }
    };
    const archived = this.archive.history!.events(plan.source, target, reading, position);
    try {
      await this.store.adoptHistory(report(plan.backup ? concat(this.backupHistory(plan.backup), archived) : archived));
      const head = await this.store.headPosition();
      job.progress({ phase: 'projecting', done: head, total: position, bytes: reading.bytes });
      const installed = plan.backup && (await this.startProjectionFrom(plan.backup.id, plan.backup.passphrase, plan.backup.head.position, false));
      if (!installed) await this.projector.waitFor(head, 3600_000);
      return head;
    } finally {
      if (plan.backup) this.fetched.drop(plan.backup.id);
    }
  }

  /**
   * A base backup's events, read from its file and checked as they go (its checksums at the end;
   * each line's chain hash by the adoption), ending exactly on the head and chain head the plan
   * continues from: the archived events after it are chained to that very hash. The file is the
   * copy the plan fetched (FetchedBackups), so the storage serves it once for the whole restore.
   */
  private async *backupHistory(backup: BaseBackup): AsyncGenerator<RecordedEvent> {
    let last: (RecordedEvent & { hash?: string }) | null = null;
    const fetched = await this.fetched.fetch(backup.id).catch((error: unknown) => {
      throw namingBackup(error, backup);
    });
    try {
      const { records } = await openBackup(createReadStream(fetched.path), { passphrase: backup.passphrase, keys: this.keys.all(), skipState: true });
      for await (const event of eventsOf(records)) yield (last = event);
    } catch (error) {
      throw namingBackup(error, backup);
    } finally {
      fetched.release();
    }
    if (last?.position !== backup.head.position || last.hash !== backup.head.hash) {
      throw new AppError('BACKUP.CHAIN_MISMATCH', `backup object ${backup.key} ends at position ${last?.position ?? 0}, not on the chain head its manifest records`, 422, {
        key: backup.key,
        storage: backup.storage,
      });
    }
  }

  /**
   * Adopts the backup's history into the empty log and has it projected. Answers the new head, and
   * whether the live state was loaded from the backup's own state (then equal to it at that head).
   */
  private async adopt(backupId: string, passphrase: string | undefined): Promise<{ head: number; installed: boolean }> {
    // Staged while the upload was verified (PreparedBackups), for the same passphrase only.
    const staged = await this.prepared.takeHistory(backupStateKey(backupId, passphrase));
    if (staged) {
      try {
        await this.store.adoptStagedHistory(staged);
      } finally {
        await rm(staged, { force: true });
      }
    } else {
      const { body } = await this.backups.open(backupId);
      // The stored file was verified in full when it was listed: its state lines are only counted (the sha256 of its bytes still covers them).
      const { records } = await openBackup(body, { passphrase, keys: this.keys.all(), skipState: true });
      await this.store.adoptHistory(eventsOf(records));
    }
    const head = await this.store.headPosition();
    const installed = await this.startProjectionFrom(backupId, passphrase, head, true);
    if (!installed) await this.projector.waitFor(head, 3600_000);
    return { head, installed };
  }

  /**
   * After an adoption, the projection starts from the backup's own state instead of folding the
   * adopted history again (a million locations), as a rebuild starts from a compacted log's base:
   * only when this app version wrote the backup, so that its state IS this projector's fold of
   * those events (checked against the file by its state hash when it was read); the events after
   * the backup's head (archived ones) are then folded onto it. A backup from
   * another version is folded by this projector; the compensating events that follow then make
   * up any difference. Answers whether it did. With `snapshot`, the pre-restore snapshot is a copy
   * of that state's file, not a `VACUUM INTO` of the read models just loaded from it.
   */
  private async startProjectionFrom(backupId: string, passphrase: string | undefined, backupHead: number, snapshot: boolean): Promise<boolean> {
    return this.backupStates.use(backupId, passphrase, async (state, manifest) => {
      if (manifest.appVersion !== APP_VERSION || state.position !== backupHead || manifest.headPosition !== backupHead) return false;
      await this.projector.rebuild(undefined, state.path);
      this.stateAt.clear();
      if (!snapshot) return true;
      const pending = await this.snapshots.beginFrom(state.path, 'pre-restore');
      pending.done.catch((error) => this.logger.warn(`pre-restore snapshot at ${backupHead} failed: ${error instanceof Error ? error.message : String(error)}`));
      return true;
    });
  }
}

async function* concat<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

async function* eventsOf(records: AsyncIterable<BackupRecord>): AsyncIterable<RecordedEvent> {
  for await (const record of records) if (record.t === 'event') yield record.v as unknown as RecordedEvent;
}
