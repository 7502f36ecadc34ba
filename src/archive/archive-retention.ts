import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackupService } from '../backups/catalog/backup.service';
import { BackupView, opensUnattended } from '../backups/catalog/backup-view';
import { readBackupManifest } from '../backups/format/read-backup-manifest';
import { AppConfig } from '../config/app-config';
import { KeyRing } from '../config/key-ring';
import { EventStore } from '../events/event-store';
import { listSegments } from './archive-catalog';
import { ArchiveObjectStore } from './archive-object-store';

/** Storages off the machine: a backup only there survives the loss of the server (file: is the server's own disk). */
const isRemote = (storage: string) => storage.startsWith('s3://') || storage.startsWith('rclone:');

/**
 * The backup the archive's retention may lean on: the OLDEST backup still kept (backup retention
 * decides which), if it can be the base of a restore from the storage alone (it holds its
 * history, a copy of it verified on a remote storage, it opens without a person). A restore to any
 * point from that backup on then starts from it or from a newer backup, and reads only segments
 * after its head. Null (nothing may go) when there is no backup or the oldest one cannot be such
 * a base: restores to the points after it would need the archive from position 1.
 */
export function retentionBase(backups: BackupView[], opens: (b: BackupView) => boolean): BackupView | null {
  if (backups.length === 0) return null;
  const oldest = backups.reduce((a, b) => (b.headPosition < a.headPosition ? b : a));
  const offMachine = oldest.copies.some((c) => c.state === 'verified' && isRemote(c.storage));
  return oldest.includesHistory && oldest.headPosition > 0 && offMachine && opens(oldest) ? oldest : null;
}

/**
 * Segment retention follows backup retention: in the epoch being written, the segments that end
 * at or before the head of the oldest kept backup (retentionBase) are deleted, since no restore
 * inside the recovery window (from that backup on) reads them; every segment after any kept
 * backup's head stays. The backup's chain head must be this log's at its head (one header read),
 * so a backup of another line of history never lets this one's segments go. Older epochs are
 * left as they are.
 */
@Injectable()
export class ArchiveRetention {
  private readonly logger = new Logger(ArchiveRetention.name);

  constructor(
    private readonly backups: BackupService,
    private readonly log: EventStore,
    private readonly keys: KeyRing,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The position up to which segments may go (0: none may). */
  async floor(): Promise<number> {
    const passphrase = !!this.config.values.BACKUP_PASSPHRASE;
    const base = retentionBase(await this.backups.list(), (b) => opensUnattended(b, (id) => !!this.keys.find(id), passphrase));
    if (!base) return 0;
    const { manifest, payload } = await readBackupManifest((await this.backups.open(base.id)).body);
    payload.destroy();
    const here = await this.log.chainHeadAt(base.headPosition);
    return here && manifest.chainHead?.hash === here.hash ? base.headPosition : 0;
  }

  /**
   * One retention pass over the epoch being written, never past what is archived; answers the
   * floor it applied (the oldest kept backup's head; 0 when nothing may go).
   */
  async apply(store: ArchiveObjectStore, epoch: number, archived: number): Promise<number> {
    const floor = Math.min(archived, await this.floor());
    const deleted = await pruneSegments(store, epoch, floor);
    if (deleted.length) this.logger.log(`archive retention: ${deleted.length} segment(s) up to position ${floor} deleted (the oldest kept backup's head)`);
    return floor;
  }
}

/** Deletes the epoch's segments that end at or before `floor` (one that reaches past it stays whole); answers their keys. */
export async function pruneSegments(store: ArchiveObjectStore, epoch: number, floor: number): Promise<string[]> {
  if (floor <= 0) return [];
  const old = (await listSegments(store, epoch)).filter((s) => s.to <= floor);
  for (const s of old) await store.delete(s.key);
  return old.map((s) => s.key);
}
