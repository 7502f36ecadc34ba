import { Injectable, Logger } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { ArchiveTarget, emptyReading } from '../archive/archive-history';
import { ArchiveService } from '../archive/archive.service';
import { APP_VERSION } from '../backups/app-version';
import { BackupService } from '../backups/backup.service';
import { BackupStates } from '../backups/backup-states';
import { BackupRecord } from '../backups/format/backup-record';
import { openBackup } from '../backups/format/read-backup-records';
import { backupStateKey, PreparedBackups } from '../backups/prepared-backups';
import { KeyRing } from '../config/key-ring';
import { EventStore, RecordedEvent } from '../events/event-store';
import { JobContext } from '../jobs/job-runner';
import { Projector } from '../projections/projector';
import { SnapshotStore } from '../snapshots/snapshot-store';
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
    private readonly backupStates: BackupStates,
    private readonly backups: BackupService,
    private readonly prepared: PreparedBackups,
    private readonly snapshots: SnapshotStore,
    private readonly keys: KeyRing,
    private readonly archive: ArchiveService,
  ) {}

  /**
   * Adopts the archived history from position 1 up to `position` (what the preview of `target`
   * found) into the empty log and has it projected; answers the new head. Every object is read
   * and verified before adoptHistory commits: a hole, a damaged object, or an archive that now
   * answers another position for the target leaves the log empty (the error names why).
   */
  async adoptArchive(target: ArchiveTarget, position: number, job: JobContext): Promise<number> {
    const history = this.archive.history!;
    const source = await history.sourceFor(target);
    const reading = emptyReading();
    const report = async function* (events: AsyncIterable<RecordedEvent>) {
      for await (const event of events) {
        if (event.position % 1000 === 0) job.progress({ phase: 'adopting archive', done: event.position, total: position, bytes: reading.bytes });
        yield event;
      }
    };
    await this.store.adoptHistory(report(history.events(source, target, reading, position)));
    const head = await this.store.headPosition();
    job.progress({ phase: 'projecting', done: head, total: position, bytes: reading.bytes });
    await this.projector.waitFor(head, 3600_000);
    return head;
  }

  /**
   * Adopts the backup's history into the empty log and has it projected. Answers the new head, and
   * whether the live state was loaded from the backup's own state (then equal to it at that head).
   */
  async adopt(backupId: string, passphrase: string | undefined): Promise<{ head: number; installed: boolean }> {
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
    const installed = await this.startProjectionFrom(backupId, passphrase, head);
    if (!installed) await this.projector.waitFor(head, 3600_000);
    return { head, installed };
  }

  /**
   * After an adoption, the projection starts from the backup's own state instead of folding the
   * adopted history again (a million locations), as a rebuild starts from a compacted log's base:
   * only when this app version wrote the backup, so that its state IS this projector's fold of
   * those events (checked against the file by its state hash when it was read). A backup from
   * another version is folded by this projector; the compensating events that follow then make
   * up any difference. Answers whether it did. The pre-restore snapshot is then a copy of that
   * state's file, not a `VACUUM INTO` of the read models just loaded from it.
   */
  private async startProjectionFrom(backupId: string, passphrase: string | undefined, head: number): Promise<boolean> {
    return this.backupStates.use(backupId, passphrase, async (state, manifest) => {
      if (manifest.appVersion !== APP_VERSION || state.position !== head || manifest.headPosition !== head) return false;
      await this.projector.rebuild(undefined, state.path);
      this.stateAt.clear();
      const pending = await this.snapshots.beginFrom(state.path, 'pre-restore');
      pending.done.catch((error) => this.logger.warn(`pre-restore snapshot at ${head} failed: ${error instanceof Error ? error.message : String(error)}`));
      return true;
    });
  }
}

async function* eventsOf(records: AsyncIterable<BackupRecord>): AsyncIterable<RecordedEvent> {
  for await (const record of records) if (record.t === 'event') yield record.v as unknown as RecordedEvent;
}
