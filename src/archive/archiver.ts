import { Logger } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { EventStore } from '../events/event-store';
import { ArchiveCursor, ArchiveCursorValue } from './archive-cursor';
import { ArchiveEncryption } from './archive-encryption';
import { v7 as uuidv7 } from 'uuid';
import { listSegments } from './archive-catalog';
import { ArchiveMerger } from './archive-merger';
import { ArchiveObjectStore } from './archive-object-store';
import { readSegmentEvents } from './segment-reader';
import { ARCHIVE_PREFIX, claimEpochOf, claimKey, epochPrefix, parseSegmentKey } from './segment-key';
import { sealSegment } from './segment-writer';
import { archiveSuperseded } from './archive-errors';
import { EpochFence } from './epoch-fence';
import { ArchiveStatus } from './archive-status';
import { ArchiveStepClock, timedSource } from './archive-step-times';
import { ArchiveTicker } from './archive-ticker';
import { ArchiverOptions } from './archiver-options';

const MAX_BACKOFF_MS = 30_000;
/** A merge pass runs this long after the first upload it would look at (so uploads are not slowed by merges). */
const MERGE_AFTER_UPLOAD_MS = 30_000;
const MERGE_RETRY_MS = 60_000;
/** Idle, the store is asked this often whether a newer epoch superseded this one (one LIST). */
const SUPERSEDED_CHECK_MS = 60_000;

/**
 * Ships the log to the archive store as immutable segments, one interval's (or one size
 * threshold's) new events at a time. Guarantees:
 * 1. Every position reaches the store exactly once per epoch, in order: the cursor moves only after
 *    an upload succeeded, and an object found beyond the cursor (uploaded just before a crash or a
 *    timeout) is verified and adopted, or deleted if damaged, before anything is sealed after it.
 * 2. No new events, no upload: the archiver looks at the local log's head only (and, once a minute,
 *    asks guarantee 5's one LIST).
 * 3. With encryption configured, a segment that cannot be encrypted is never uploaded (fail closed).
 * 4. An unreachable store only delays: the next attempt seals everything pending since (backoff to 30 s).
 * 5. Fail closed when superseded: before each round of uploads (and once a minute when idle) one LIST
 *    of the next epoch's prefix tells whether another instance claimed a newer epoch; once one did,
 *    nothing more is uploaded under this one (EpochFence).
 * 6. At most one round of uploads per interval, at a fixed rate; an append after a quiet interval is
 *    shipped at once (ArchiveTicker). Each round's steps are timed (`status().steps`).
 */
export class Archiver {
  private readonly logger = new Logger('Archiver');
  private cursor: ArchiveCursorValue | null;
  private readonly ticker: ArchiveTicker;
  private readonly steps = new ArchiveStepClock();
  /** Rounds (the ticker's, flush's, claim's) run one after another. */
  private serial: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  /** The merge pass in flight (one at a time, beside the uploads). */
  private merging: Promise<void> | null = null;
  private stopped = false;
  private reconciled = false;
  private failures = 0;
  private retryAt = 0;
  private head = 0;
  private pendingSince: string | null = null;
  private oldest: string | null = null;
  private uploads = 0;
  private lastUploadAt: string | null = null;
  private lastError: ArchiveStatus['lastError'] = null;
  private readonly merger: ArchiveMerger;
  /** When a merge pass has work: after uploads, or when a window holding segments closes; null when idle. */
  private mergeAt: number | null = null;
  private readonly fence: EpochFence;

  /** The log's chain hash at a segment's last position, which its header records (null before the chain). */
  private readonly chainHeadAt = async (position: number): Promise<string | null> => (await this.log.chainHeadAt(position))?.hash ?? null;

  constructor(
    private readonly log: EventStore,
    private readonly store: ArchiveObjectStore,
    private readonly encryption: ArchiveEncryption,
    private readonly cursorFile: ArchiveCursor,
    private readonly clock: Clock,
    private readonly options: ArchiverOptions,
  ) {
    this.merger = new ArchiveMerger(store, encryption, clock, options.tmpDir);
    this.fence = new EpochFence(store, clock, SUPERSEDED_CHECK_MS);
    const saved = cursorFile.read();
    this.cursor = saved && saved.storage === store.describe() ? saved : null;
    this.ticker = new ArchiveTicker(options.intervalMs, (late) => this.exclusive(() => this.tick(false, late)));
  }

  /** Rounds at a fixed rate, and at once when an append commits after a quiet interval (archive-ticker.ts). */
  start(): void {
    this.unsubscribe = this.log.onAppended(() => this.ticker.wake());
    this.ticker.start();
  }

  /** Stops after the upload in flight (its cursor written), so a clean shutdown leaves nothing to reconcile. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.ticker.stop();
    await this.serial;
    await this.merging;
  }

  /** Seals and uploads everything up to the head now (the ticker does this every interval). */
  async flush(): Promise<void> {
    await this.merging;
    await this.exclusive(() => this.tick(true));
    await this.merging;
  }

  /** The archive as of now: the head is read from the log at the call, not remembered from the last interval. */
  async status(): Promise<ArchiveStatus> {
    const archived = this.cursor?.position ?? 0;
    const now = this.clock.now();
    this.head = await this.log.headPosition();
    const positions = Math.max(0, this.head - archived);
    if (positions === 0) this.pendingSince = null;
    else this.pendingSince ??= await this.recordedAtOf(archived + 1);
    return {
      storage: this.store.describe(),
      encryption: this.encryption.describe(),
      epoch: this.cursor?.epoch ?? null,
      archivedPosition: archived,
      headPosition: this.head,
      lag: { positions, seconds: positions && this.pendingSince ? Math.max(0, (now - Date.parse(this.pendingSince)) / 1000) : 0 },
      restorable: { oldest: archived ? this.oldest : null, newest: archived ? (this.cursor?.recordedAt ?? null) : null },
      pending: { positions, since: positions ? this.pendingSince : null, retryAt: this.retryAt > now ? new Date(this.retryAt).toISOString() : null },
      uploads: this.uploads,
      lastUploadAt: this.lastUploadAt,
      lastError: this.lastError,
      superseded: this.fence.superseded,
      steps: this.steps.report(),
    };
  }

  /** Claims this instance's epoch now if it has none (a promotion's moment); answers the cursor. */
  async claim(): Promise<ArchiveCursorValue> {
    return this.exclusive(() => this.ensureEpoch());
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** One round; answers whether it had work (events to ship). */
  private async tick(force = false, lateMs = 0): Promise<boolean> {
    if (this.fence.superseded) return false;
    this.steps.begin(lateMs);
    if (this.cursor && this.fence.due()) await this.checkFence(this.cursor).catch(() => undefined);
    const uploadsBefore = this.uploads;
    const worked = await this.ship(force);
    this.steps.end(this.uploads > uploadsBefore);
    // Beside the uploads, not in their way: a merge pass (tens of requests) once held new segments back for its whole length.
    if (this.cursor && !this.merging && this.mergeAt !== null && this.clock.now() >= this.mergeAt && !this.lastError) {
      this.merging = this.mergeNow(this.cursor).finally(() => (this.merging = null));
    }
    return worked;
  }

  /**
   * Merges what the levels allow, then applies the retention. A failure is logged and retried at
   * the next interval: the segments it would have replaced or let go stay, so nothing is lost.
   */
  private async mergeNow(cursor: ArchiveCursorValue): Promise<void> {
    try {
      this.mergeAt = null; // uploads during the pass ask for the next one (shipNext)
      const { nextAt } = await this.merger.merge(cursor.epoch, cursor.position);
      if (nextAt !== null) this.mergeAt = Math.min(this.mergeAt ?? Infinity, nextAt);
      const floor = (await this.options.retention?.(cursor.epoch, cursor.position)) ?? 0;
      // The oldest point restorable from the storage is then the kept backup's head, not position 1.
      if (floor > 0) this.oldest = await this.recordedAtOf(floor);
    } catch (error) {
      this.mergeAt = this.clock.now() + MERGE_RETRY_MS;
      this.logger.warn(`archive merge failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Answers whether there was anything to ship. */
  private async ship(force: boolean): Promise<boolean> {
    try {
      this.head = await this.log.headPosition();
      const archived = this.cursor?.position ?? 0;
      if (this.head <= archived) {
        this.pendingSince = null;
        return false;
      }
      this.pendingSince ??= await this.recordedAtOf(archived + 1);
      if (!force && this.clock.now() < this.retryAt) return true;
      const cursor = await this.ensureEpoch();
      await this.steps.time('fence', () => this.checkFence(cursor));
      if (!this.reconciled) await this.reconcile(cursor);
      // Up to the head as the round found it: appends meanwhile are the next round's (at the fixed rate).
      const roundHead = this.head;
      while (!this.stopped && this.cursor!.position < roundHead) await this.shipNext(this.cursor!);
      this.failures = 0;
      this.retryAt = 0;
      this.lastError = null;
      this.pendingSince = null;
      return true;
    } catch (error) {
      this.failures += 1;
      this.reconciled = false;
      this.retryAt = this.clock.now() + Math.min(MAX_BACKOFF_MS, this.options.intervalMs * 2 ** (this.failures - 1));
      const code = error instanceof AppError ? error.code : ((error as NodeJS.ErrnoException).code ?? 'ARCHIVE.UPLOAD_FAILED');
      const message = error instanceof Error ? error.message : String(error);
      if (this.failures === 1 || this.failures % 10 === 0) this.logger.warn(`archive upload failed (${this.failures}×): ${message}`);
      this.lastError = { code, message, at: new Date(this.clock.now()).toISOString() };
      return true;
    }
  }

  /** Seals the events after the cursor (up to the size threshold) and uploads them; then moves the cursor. */
  private async shipNext(cursor: ArchiveCursorValue): Promise<void> {
    const reading = { ms: 0 };
    const events = timedSource(this.log.readAll({ fromPosition: cursor.position + 1, toPosition: this.head }), reading);
    const spec = { epoch: cursor.epoch, level: 0, chainHeadAt: this.chainHeadAt, continues: cursor.continues };
    const sealed = await this.steps.time('seal', () => sealSegment(events, spec, this.encryption, this.options.tmpDir, this.options.segmentBytes));
    this.steps.move(reading.ms, 'seal', 'read');
    if (!sealed) throw new Error(`the log holds no event after position ${cursor.position} although its head is ${this.head}`);
    try {
      await this.steps.time('upload', () => this.store.put(sealed.key, sealed.buffer ?? sealed.body()));
      await this.steps.time('ack', () => this.advance({ ...cursor, position: sealed.header.to, recordedAt: sealed.header.toRecordedAt }));
      this.uploads += 1;
      this.mergeAt = Math.min(this.mergeAt ?? Infinity, this.clock.now() + MERGE_AFTER_UPLOAD_MS);
      this.lastUploadAt = new Date(this.clock.now()).toISOString();
      this.pendingSince = sealed.header.to < this.head ? await this.recordedAtOf(sealed.header.to + 1) : null;
    } finally {
      await sealed.discard();
    }
  }

  /**
   * The epoch this instance writes under: the cursor's, or (first archiving with this store, e.g.
   * after a restore onto an empty instance) one past every epoch the store holds, claimed by a
   * claim object so that two instances starting at once never write one epoch (segment-key.ts).
   */
  private async ensureEpoch(): Promise<ArchiveCursorValue> {
    if (this.cursor) return this.cursor;
    const keys = (await this.store.list(ARCHIVE_PREFIX)).map((o) => o.key);
    const used = keys.map((k) => parseSegmentKey(k)?.epoch ?? claimEpochOf(k) ?? 0);
    for (let epoch = Math.max(0, ...used) + 1; ; epoch++) {
      const mine = claimKey(epoch, uuidv7());
      const continues = this.options.continues;
      await this.store.put(mine, Buffer.from(JSON.stringify({ pid: process.pid, at: new Date(this.clock.now()).toISOString(), continues }) + '\n'));
      const claims = (await this.store.list(epochPrefix(epoch))).map((o) => o.key).filter((k) => claimEpochOf(k) === epoch);
      if (claims.sort()[0] !== mine) continue;
      const fresh = { storage: this.store.describe(), epoch, position: 0, recordedAt: null, ...(continues ? { continues } : {}) };
      await this.advance(fresh);
      this.reconciled = true;
      return fresh;
    }
  }

  /**
   * Objects beyond the cursor are uploads whose success this process never recorded (a crash or a
   * timeout after the store had them): each is read back in full; a sound one is adopted (the
   * cursor moves past it, nothing is uploaded again), a damaged one deleted (never acknowledged).
   */
  private async reconcile(cursor: ArchiveCursorValue): Promise<void> {
    const beyond = (await listSegments(this.store, cursor.epoch)).filter((s) => s.to > cursor.position);
    let position = cursor.position;
    for (const s of beyond.sort((a, b) => a.from - b.from || b.to - a.to)) {
      if (s.from !== position + 1 || s.to > this.head) continue;
      let last: string | null = null;
      try {
        for await (const e of readSegmentEvents(this.store, s.key, this.encryption)) last = e.recordedAt;
      } catch (error) {
        if ((error as AppError).code !== 'ARCHIVE.CHECKSUM_MISMATCH') throw error;
        this.logger.warn(`deleting ${s.key}, an unacknowledged upload that does not verify`);
        await this.store.delete(s.key);
        continue;
      }
      position = s.to;
      await this.advance({ ...cursor, position, recordedAt: last });
    }
    this.reconciled = true;
  }

  /** Throws ARCHIVE.SUPERSEDED (and tells the service, once) when a newer epoch exists. */
  private async checkFence(cursor: ArchiveCursorValue): Promise<void> {
    const newer = await this.fence.check(cursor.epoch);
    if (newer === null) return;
    this.options.onSuperseded?.(newer, cursor.epoch);
    throw archiveSuperseded(this.store.describe(), cursor.epoch, newer);
  }

  private async advance(value: ArchiveCursorValue): Promise<void> {
    await this.cursorFile.write(value);
    this.cursor = value;
    this.oldest ??= value.position ? await this.recordedAtOf(1) : null;
  }

  private async recordedAtOf(position: number): Promise<string | null> {
    for await (const e of this.log.readAll({ fromPosition: position, limit: 1 })) return e.recordedAt;
    return null;
  }
}
