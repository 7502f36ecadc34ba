import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { RunMode } from '../../config/run-mode';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { link, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { BackupCopyEntity, CopyState } from '../catalog/backup-copy.entity';
import { BackupEntity } from '../catalog/backup.entity';
import { backupVerifyFailed } from '../backup-errors';
import { BackupManifest } from '../format/backup-manifest';
import { readBackupManifest } from '../format/read-backup-manifest';
import { VerifyReport } from '../format/verify-backup';
import { verifyWrittenCopy } from '../format/verify-written-copy';
import { BackupStorages, ConfiguredStorage } from './backup-storages';
import { storedObjectNotFound } from './backup-storage';
import { isTransientStorageError } from './storage-errors';

/** Checks a copy read back from its storage; resolves with the report (never throws for a bad copy). */
export type CopyCheck = (copy: Readable) => Promise<VerifyReport>;

export interface CopyOutcome {
  target: ConfiguredStorage;
  report: VerifyReport | null;
  size: number | null;
  error: Error | null;
}

const FIRST_RETRY_MS = 1000;

/**
 * How a copy of a new backup is checked once stored: a file this service wrote, against the
 * manifest it wrote (verifyWrittenCopy); a file from outside, verified in full already, byte for
 * byte against it (sha256 of both).
 */
export function copyCheckFor(path: string, written: BackupManifest | null): CopyCheck {
  if (written) return (copy) => verifyWrittenCopy(copy, written);
  const local = sha256Of(createReadStream(path));
  return async (copy) => {
    const [expected, actual] = await Promise.all([local, sha256Of(copy)]);
    const error = { code: 'BACKUP.CHECKSUM_MISMATCH', message: 'the stored copy differs from the verified file' };
    return { ok: expected === actual, error: expected === actual ? null : error } as VerifyReport;
  };
}

async function sha256Of(input: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of input) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The copies of each backup on each storage, and the local queue of those not stored yet. A copy
 * that failed waits as a `pending` (or `failed`) row while the backup's bytes wait in
 * DATA_DIR/outbox/<key>; a timer retries due copies with exponential backoff (capped by
 * BACKUP_COPY_RETRY_MAX_MS), reading the copy back and checking it against the manifest in the
 * outbox file's header before it counts as verified. The outbox file goes once no copy waits.
 * An idle queue makes no request to any store: the timer only reads the catalog.
 */
@Injectable()
export class BackupCopies implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BackupCopies.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Passes in a row that failed as a whole, and when the timer may try the next one. */
  private failedPasses = 0;
  private pausedUntil = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storages: BackupStorages,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly mode: RunMode,
  ) {
    mkdirSync(this.outboxDir(), { recursive: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.mode.background('backup-copies', () => {
      this.timer = setInterval(() => void this.timerPass(), 500);
      this.timer.unref();
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Stores and checks one copy per target, one after the other; never throws (each outcome says). */
  async storeAll(targets: ConfiguredStorage[], key: string, file: string, check: CopyCheck): Promise<CopyOutcome[]> {
    const outcomes: CopyOutcome[] = [];
    for (const target of targets) {
      try {
        const { size, report } = await this.storeOne(target, key, file, check);
        outcomes.push({ target, report, size, error: null });
      } catch (error) {
        outcomes.push({ target, report: null, size: null, error: error as Error });
      }
    }
    return outcomes;
  }

  /** Rows for the outcomes of a new backup (a failed copy becomes a queued one). */
  rowsFor(backupId: string, key: string, outcomes: CopyOutcome[]): BackupCopyEntity[] {
    const now = this.now();
    return outcomes.map(({ target, size, error }) => ({
      backup_id: backupId,
      storage: target.storage.describe(),
      key,
      state: error ? stateAfter(error) : 'verified',
      size,
      attempts: error ? 1 : 0,
      next_attempt_at: error ? this.nextAttempt(1, error) : null,
      last_error: error ? describeError(error) : null,
      verified_at: error ? null : now,
      updated_at: now,
    }));
  }

  /** Keeps the backup's bytes for the copies still to store (a hard link: no copy of the bytes). */
  async enqueue(file: string, key: string): Promise<void> {
    await rm(this.outboxFile(key), { force: true });
    await link(file, this.outboxFile(key));
  }

  outboxFile(key: string): string {
    return join(this.outboxDir(), key);
  }

  /** The local copy a backup keeps while a copy waits, if it has one. */
  localCopy(key: string): string | null {
    return existsSync(this.outboxFile(key)) ? this.outboxFile(key) : null;
  }

  async copiesOf(backupIds: string[]): Promise<Map<string, BackupCopyEntity[]>> {
    const rows = backupIds.length ? await this.repo().find({ where: { backup_id: In(backupIds) }, order: { storage: 'ASC' } }) : [];
    const byId = new Map<string, BackupCopyEntity[]>();
    for (const row of rows) byId.set(row.backup_id, [...(byId.get(row.backup_id) ?? []), row]);
    return byId;
  }

  /** Queue files no catalog row waits for (a crash between enqueue and the rows, or a removed backup). */
  async sweepOutbox(): Promise<void> {
    for (const name of await readdir(this.outboxDir())) {
      const waiting = await this.repo().countBy({ key: name, state: In(['pending', 'failed']) });
      if (!waiting) await rm(join(this.outboxDir(), name), { force: true });
    }
  }

  /** One pass over the due copies; a pass never overlaps another. */
  retryDue(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.retryPass().finally(() => (this.running = null));
    return this.running;
  }

  /**
   * The timer's pass. A pass that fails as a whole (the catalog cannot be read or an attempt cannot
   * be recorded, e.g. on a full DATA_DIR) is logged and the next one waits, with the same backoff
   * as a copy's; the rows stay due, so nothing is lost. No failure here may end the process.
   */
  private async timerPass(): Promise<void> {
    if (this.clock.now() < this.pausedUntil) return;
    try {
      await this.retryDue();
      this.failedPasses = 0;
    } catch (error) {
      this.failedPasses += 1;
      const wait = Math.min(this.config.values.BACKUP_COPY_RETRY_MAX_MS, FIRST_RETRY_MS * 2 ** (this.failedPasses - 1));
      this.pausedUntil = this.clock.now() + wait;
      this.logger.warn(`backup copy queue: a pass failed (${describeError(error as Error)}); next pass in ${wait} ms`);
    }
  }

  private async retryPass(): Promise<void> {
    const due = await this.repo().find({ where: { state: In(['pending', 'failed']), next_attempt_at: LessThanOrEqual(this.now()) } });
    for (const copy of due) {
      const target = this.storages.byDescription(copy.storage);
      const file = this.localCopy(copy.key);
      if (!target || !file) continue;
      try {
        const { manifest, payload } = await readBackupManifest(createReadStream(file));
        payload.destroy();
        const { size } = await this.storeOne(target, copy.key, file, (body) => verifyWrittenCopy(body, manifest));
        await this.repo().update({ backup_id: copy.backup_id, storage: copy.storage }, { state: 'verified', size, attempts: copy.attempts + 1, last_error: null, next_attempt_at: null, verified_at: this.now(), updated_at: this.now() });
        this.logger.log(`copy of backup ${copy.backup_id} stored and verified on ${copy.storage} (attempt ${copy.attempts + 1})`);
      } catch (error) {
        const attempts = copy.attempts + 1;
        await this.repo().update(
          { backup_id: copy.backup_id, storage: copy.storage },
          { state: stateAfter(error as Error), attempts, next_attempt_at: this.nextAttempt(attempts, error as Error), last_error: describeError(error as Error), updated_at: this.now() },
        );
        continue;
      }
      await this.releaseIfDone(copy.key);
    }
  }

  /** Drops the outbox file once no copy of its backup waits. */
  async releaseIfDone(key: string): Promise<void> {
    if (!(await this.repo().countBy({ key, state: In(['pending', 'failed']) }))) await rm(this.outboxFile(key), { force: true });
  }

  /** put, then read back and check; a copy that does not pass is deleted and the failure thrown. */
  private async storeOne(target: ConfiguredStorage, key: string, file: string, check: CopyCheck): Promise<{ size: number; report: VerifyReport }> {
    const stored = await target.storage.put(key, () => createReadStream(file));
    let report: VerifyReport;
    try {
      report = await check(await target.storage.get(key));
    } catch (error) {
      if (!isTransientStorageError(error)) await target.storage.delete(key).catch(() => undefined);
      throw error;
    }
    if (!report.ok) {
      await target.storage.delete(key).catch(() => undefined);
      throw backupVerifyFailed(`as stored on ${target.storage.describe()}`, report.error);
    }
    return { size: stored.size, report };
  }

  private nextAttempt(attempts: number, error: Error): string {
    const cap = this.config.values.BACKUP_COPY_RETRY_MAX_MS;
    const wait = stateAfter(error) === 'failed' ? cap : Math.min(cap, FIRST_RETRY_MS * 2 ** (attempts - 1));
    return new Date(this.clock.now() + wait).toISOString();
  }

  private outboxDir(): string {
    return join(this.config.values.dataDir, 'outbox');
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private repo() {
    return this.dataSource.getRepository(BackupCopyEntity);
  }

  /** Copies of a backup's row, for the catalog: deletes the object and the copy's row. */
  async removeCopy(copy: BackupCopyEntity): Promise<void> {
    await this.storages.byDescription(copy.storage)?.storage.delete(copy.key);
    await this.repo().delete({ backup_id: copy.backup_id, storage: copy.storage });
  }

  /** Reads a backup from the first healthy source: its outbox file, then its stored copies (local first). */
  async open(row: BackupEntity): Promise<Readable> {
    const local = this.localCopy(row.key);
    if (local) return createReadStream(local);
    const copies = (await this.copiesOf([row.id])).get(row.id) ?? [];
    // A row from before copies were recorded names its one storage.
    const held = new Set(copies.length ? copies.filter((c) => c.state === 'verified' || c.state === 'stored').map((c) => c.storage) : [row.storage]);
    let lastError: Error = storedObjectNotFound(row.key);
    for (const target of this.storages.readOrder().filter((s) => held.has(s.storage.describe()))) {
      try {
        return await target.storage.get(row.key);
      } catch (error) {
        lastError = error as Error;
      }
    }
    throw lastError;
  }
}

/** Transient failures stay pending (retried soon); the others are failed (retried at the longest backoff). */
const stateAfter = (error: Error): CopyState => (isTransientStorageError(error) ? 'pending' : 'failed');

const describeError = (error: Error): string => `${(error as { code?: string }).code ?? error.name}: ${error.message}`.slice(0, 1000);
