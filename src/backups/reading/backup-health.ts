import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { KeyRing } from '../../config/key-ring';
import { BackupSchedules, cronOf } from '../../domain/backup-schedule';
import { ArchiveReport, ArchiveReports, FollowerReport } from './archive-reports';
import { BackupScheduler } from '../writing/backup-scheduler';
import { BackupService } from '../catalog/backup.service';
import { BackupView } from '../catalog/backup-view';
import { BackupStorages } from '../storage/backup-storages';
import { CronTime } from 'cron';

const DAY = 24 * 3600_000;

export interface BackupHealth {
  status: 'ok' | 'warning' | 'no-backups';
  /** "Last verified restorable at …": the newest backup whose last verification (or restore drill) passed. */
  lastVerifiedRestorableAt: string | null;
  lastVerifiedBackupId: string | null;
  verifiedAt: string | null;
  newestBackupAt: string | null;
  /** How old the newest verified backup may be before this warns: the shortest enabled schedule's interval plus an hour; null without schedules. */
  promisedWithinHours: number | null;
  warnings: string[];
  message: string;
  /** The continuous archive of the log (lag, restorable window, pending, last error); null when ARCHIVE_STORAGE is unset. */
  archive: ArchiveReport | null;
  /** A follower's (ARCHIVE_FOLLOW) lag behind the newest archived segment and its last error; null on a writer. */
  follower: FollowerReport | null;
  /** Each configured storage (the primary first) and the copies waiting for it in the local queue. */
  storages: StorageHealth[];
  /** The next three firings of each enabled schedule (ISO times, in its time zone's calendar), by schedule id. */
  nextRuns: Record<string, string[]>;
  /** The soonest of those: when the next automatic backup starts; null without enabled schedules. */
  nextBackupAt: string | null;
  /** The id of the server key "Back up now" can encrypt with (BACKUP_KEY / BACKUP_KEY_FILE); null when none is configured. */
  serverKeyId: string | null;
}

export interface StorageHealth {
  storage: string;
  /** Copies not stored yet, retried with backoff (their bytes wait in DATA_DIR/outbox). */
  pendingCopies: number;
  /** Copies the storage refused for a lasting reason (credentials, a missing bucket, a bad copy); retried at the longest backoff. */
  failedCopies: number;
  lastError: string | null;
}

/** How far behind the archive may fall before health warns. */
const ARCHIVE_LAG_WARNING_SECONDS = 60;

/** Whether the backups would let a user restore, and since when: the answer the Backup Manager shows first. */
@Injectable()
export class BackupHealthService {
  constructor(
    private readonly backups: BackupService,
    private readonly scheduler: BackupScheduler,
    private readonly clock: Clock,
    private readonly archive: ArchiveReports,
    private readonly storages: BackupStorages,
    private readonly keys: KeyRing,
  ) {}

  async health(): Promise<BackupHealth> {
    const doc = await this.scheduler.current();
    const promisedWithinHours = promiseOf(doc);
    const nextRuns = nextRunsOf(doc, 3);
    const all = await this.backups.list();
    // Verified means the content was checked (not only the bytes of an encrypted file) and no drill failed.
    const failedDrill = (b: { lastDrillResult: string | null }) => b.lastDrillResult?.startsWith('failed') ?? false;
    const verified = all.find((b) => b.lastVerifyResult === 'ok' && !failedDrill(b));
    const warnings: string[] = [];
    if (all.length === 0) warnings.push('there is no backup yet');
    else if (!verified) warnings.push('no backup verified restorable');
    else if (promisedWithinHours !== null && this.clock.now() - Date.parse(verified.createdAt) > promisedWithinHours * 3600_000) {
      const days = ((this.clock.now() - Date.parse(verified.createdAt)) / DAY).toFixed(1);
      warnings.push(`the newest verified backup is ${days} days old, older than the ${promisedWithinHours} h the schedule promises`);
    }
    const failedNewer = all.filter((b) => verified && b.createdAt > verified.createdAt && (b.lastVerifyResult?.startsWith('failed') || failedDrill(b)));
    if (failedNewer.length) warnings.push(`${failedNewer.length} newer backup(s) failed verification`);
    const archive = await this.archive.status();
    if (archive?.superseded) warnings.push(`superseded by epoch ${archive.superseded.epoch} of the archive: this instance no longer archives nor writes`);
    else if (archive?.lastError) warnings.push(`the archive is not uploading: ${archive.lastError.message}`);
    else if (archive && archive.lag.seconds > ARCHIVE_LAG_WARNING_SECONDS) warnings.push(`the archive is ${Math.round(archive.lag.seconds)} s behind the log`);
    const follower = this.archive.followerStatus();
    if (follower?.lastError) warnings.push(`not following the archive: ${follower.lastError.message}`);
    else if (follower && follower.lag.seconds > ARCHIVE_LAG_WARNING_SECONDS) warnings.push(`the follower is ${Math.round(follower.lag.seconds)} s behind the archive`);
    const storages = this.storageHealth(all);
    for (const s of storages.filter((s) => s.pendingCopies + s.failedCopies > 0)) {
      warnings.push(`${s.pendingCopies + s.failedCopies} backup copy(ies) not yet stored on ${s.storage}${s.lastError ? `: ${s.lastError}` : ''}`);
    }
    const status = all.length === 0 ? 'no-backups' : warnings.length ? 'warning' : 'ok';
    return {
      status,
      lastVerifiedRestorableAt: verified?.createdAt ?? null,
      lastVerifiedBackupId: verified?.id ?? null,
      verifiedAt: verified?.lastDrillAt ?? verified?.lastVerifiedAt ?? null,
      newestBackupAt: all[0]?.createdAt ?? null,
      promisedWithinHours,
      warnings,
      message: verified
        ? `last verified restorable at ${verified.createdAt} (backup ${verified.id}, verified ${verified.lastDrillAt ?? verified.lastVerifiedAt})`
        : 'no verified backup yet',
      archive,
      follower,
      nextRuns,
      nextBackupAt: Object.values(nextRuns).map((runs) => runs[0]).sort()[0] ?? null,
      serverKeyId: this.keys.current()?.id ?? null,
      storages,
    };
  }

  private storageHealth(all: BackupView[]): StorageHealth[] {
    return this.storages.all.map(({ storage }) => {
      const waiting = all.flatMap((b) => b.copies).filter((c) => c.storage === storage.describe() && (c.state === 'pending' || c.state === 'failed'));
      return {
        storage: storage.describe(),
        pendingCopies: waiting.filter((c) => c.state === 'pending').length,
        failedCopies: waiting.filter((c) => c.state === 'failed').length,
        lastError: waiting.find((c) => c.lastError)?.lastError ?? null,
      };
    });
  }
}

/** The next `n` firings of each enabled schedule, as the scheduler (the `cron` package, in the schedule's time zone) will fire them. */
function nextRunsOf(doc: BackupSchedules, n: number): Record<string, string[]> {
  const runs: Record<string, string[]> = {};
  for (const s of doc.schedules.filter((x) => x.enabled)) {
    const times = new CronTime(cronOf(s), s.timezone).sendAt(n) as unknown as { toMillis(): number }[];
    runs[s.id] = times.map((t) => new Date(t.toMillis()).toISOString());
  }
  return runs;
}

/** The longest a backup may be missing under the schedules: the shortest interval between two firings, plus an hour of grace. */
function promiseOf(doc: BackupSchedules): number | null {
  const intervals = doc.schedules
    .filter((s) => s.enabled)
    .map((s) => {
      const [a, b] = new CronTime(cronOf(s), s.timezone).sendAt(2) as unknown as { toMillis(): number }[];
      return (b.toMillis() - a.toMillis()) / 3600_000;
    });
  return intervals.length ? Math.min(...intervals) + 1 : null;
}
