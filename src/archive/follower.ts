import { Logger } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { EventStore } from '../events/event-store';
import { CatalogSegment, coverChain } from './archive-catalog';
import { ArchiveEncryption } from './archive-encryption';
import { followerDiverged } from './archive-errors';
import { ArchiveObjectStore } from './archive-object-store';
import { readSegmentEvents } from './segment-reader';
import { ARCHIVE_PREFIX, claimEpochOf, parseSegmentKey } from './segment-key';

export interface FollowerOptions {
  /** Between two LISTs while segments keep coming; idle, the wait doubles up to IDLE_FACTOR times this. */
  intervalMs: number;
}

/** What health reports about a follower (GET /api/backups/health, `follower`). */
export interface FollowerStatus {
  storage: string;
  /** The epoch followed: the newest one in the store. */
  epoch: number | null;
  /** The log's head: every position up to it was applied from verified segments. */
  appliedPosition: number;
  /** The newest position the followed epoch holds, as of the last LIST. */
  archivedPosition: number;
  /** Behind the newest archived segment, as of the last LIST: positions, and seconds since the oldest segment not applied yet was stored. */
  lag: { positions: number; seconds: number };
  /** A newer epoch is claimed but holds no segment yet: nothing is applied until it does. */
  waitingForEpoch: number | null;
  pollIntervalMs: { min: number; max: number };
  lastPollAt: string | null;
  lastAppliedAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
}

/** Idle, the poll interval doubles up to this many times the configured one (8 s by default). */
const IDLE_FACTOR = 8;
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps this instance's log a copy of the archive's current history (ARCHIVE_FOLLOW), so that its
 * projections keep the read models within seconds of the writer. Guarantees:
 * 1. Only the newest epoch is followed (readers choose the newest epoch): once a newer one is claimed,
 *    nothing more is applied from the older one, whose late segments are not the history.
 * 2. A segment is applied whole or not at all, through the log's one verbatim writer
 *    (adoptHistory after the head): every check of the reader (sha256s, GCM tag, contiguous
 *    positions), and the chain hash the log reaches must be the one the segment's header records,
 *    so a log that is not a prefix of the epoch's history takes nothing (FOLLOWER.DIVERGED).
 * 3. Positions, event ids and recordedAt are the writer's: the state at position P (or time T) here
 *    is the writer's state at P.
 * 4. One LIST per poll; GETs only for segments to apply. Idle, polls slow down to IDLE_FACTOR × the
 *    interval; a failing store backs off to 30 s.
 */
export class Follower {
  private readonly logger = new Logger('Follower');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private delayMs: number;
  private epoch: number | null = null;
  private applied = 0;
  private archived = 0;
  private waitingForEpoch: number | null = null;
  /** When the oldest segment not applied yet was stored (LIST's modifiedAt). */
  private behindSince: string | null = null;
  private lastPollAt: string | null = null;
  private lastAppliedAt: string | null = null;
  private lastError: FollowerStatus['lastError'] = null;

  constructor(
    private readonly log: EventStore,
    private readonly store: ArchiveObjectStore,
    private readonly encryption: ArchiveEncryption,
    private readonly clock: Clock,
    private readonly options: FollowerOptions,
  ) {
    this.delayMs = options.intervalMs;
  }

  start(): void {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick().finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(loop, this.delayMs);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stops after the segment being applied. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Applies everything the newest epoch holds now; throws what stopped it (the loop must be stopped). */
  async catchUp(): Promise<{ epoch: number | null; position: number }> {
    await this.poll();
    return { epoch: this.epoch, position: this.applied };
  }

  status(): FollowerStatus {
    const positions = Math.max(0, this.archived - this.applied);
    const seconds = positions && this.behindSince ? Math.max(0, (this.clock.now() - Date.parse(this.behindSince)) / 1000) : 0;
    return {
      storage: this.store.describe(),
      epoch: this.epoch,
      appliedPosition: this.applied,
      archivedPosition: this.archived,
      lag: { positions, seconds },
      waitingForEpoch: this.waitingForEpoch,
      pollIntervalMs: { min: this.options.intervalMs, max: this.options.intervalMs * IDLE_FACTOR },
      lastPollAt: this.lastPollAt,
      lastAppliedAt: this.lastAppliedAt,
      lastError: this.lastError,
    };
  }

  private async tick(): Promise<void> {
    try {
      const applied = await this.poll();
      this.lastError = null;
      this.delayMs = applied > 0 ? this.options.intervalMs : Math.min(this.delayMs * 2, this.options.intervalMs * IDLE_FACTOR);
    } catch (error) {
      const code = error instanceof AppError ? error.code : ((error as NodeJS.ErrnoException).code ?? 'FOLLOWER.POLL_FAILED');
      const message = error instanceof Error ? error.message : String(error);
      if (this.lastError?.message !== message) this.logger.warn(`following the archive failed: ${message}`);
      this.lastError = { code, message, at: new Date(this.clock.now()).toISOString() };
      this.delayMs = Math.min(MAX_BACKOFF_MS, Math.max(this.delayMs * 2, this.options.intervalMs));
    }
  }

  /** One LIST, then every segment of the newest epoch past the head, in order. Answers how many were applied. */
  private async poll(): Promise<number> {
    const objects = await this.store.list(ARCHIVE_PREFIX);
    this.lastPollAt = new Date(this.clock.now()).toISOString();
    const segments: CatalogSegment[] = [];
    let newest = 0;
    for (const o of objects) {
      const range = parseSegmentKey(o.key);
      if (range) segments.push({ ...range, key: o.key, size: o.size, modifiedAt: o.modifiedAt });
      newest = Math.max(newest, range?.epoch ?? claimEpochOf(o.key) ?? 0);
    }
    this.applied = await this.log.headPosition();
    const ofNewest = segments.filter((s) => s.epoch === newest);
    // A claim with no segment yet: the new writer is about to upload its history (guarantee 1).
    this.waitingForEpoch = newest > 0 && ofNewest.length === 0 ? newest : null;
    if (ofNewest.length === 0) return 0;
    this.epoch = newest;
    this.archived = coverChain(ofNewest, 1).end;
    const { segments: chain } = coverChain(ofNewest, this.applied + 1);
    this.behindSince = chain[0]?.modifiedAt ?? null;
    for (const [i, segment] of chain.entries()) {
      await this.apply(segment);
      this.behindSince = chain[i + 1]?.modifiedAt ?? null;
    }
    return chain.length;
  }

  private async apply(segment: CatalogSegment): Promise<void> {
    const after = this.applied;
    let chainHead: string | null = null;
    const events = readSegmentEvents(this.store, segment.key, this.encryption, { fromPosition: after + 1, onHeader: (h) => (chainHead = h.chainHead) });
    try {
      await this.log.adoptHistory(events, { after, chainHead: () => chainHead });
    } catch (error) {
      if (error instanceof AppError && error.code === 'EVENTS.CHAIN_MISMATCH') throw followerDiverged(segment.epoch, segment.to);
      throw error;
    }
    this.applied = segment.to;
    this.lastAppliedAt = new Date(this.clock.now()).toISOString();
  }
}
