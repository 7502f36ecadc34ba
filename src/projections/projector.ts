import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BehaviorSubject, EMPTY, Observable, Subject, filter, firstValueFrom, map, merge, skip, takeUntil, timeout } from 'rxjs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '../common/app-error';
import { isStorageFull, storageFull } from '../common/storage-full';
import { EventStore, RecordedEvent } from '../events/event-store';
import { LiveReadModels } from './live-read-models';
import { weightedSlices } from './weighted-slices';

/** Rows written per read-model transaction: bounds how long one commit holds the event loop (~100 ms). */
const MAX_ROWS_PER_TRANSACTION = 20_000;
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Folds the log into the read models from a checkpointed catch-up subscription (never from an
 * in-memory bus alone: a failed handler there loses events silently). Each slice of events and the
 * checkpoint commit together, so a crash at any point resumes exactly after the last applied event.
 * A failure is logged, kept for /health, and retried; the projector never skips an event.
 */
@Injectable()
export class Projector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Projector.name);
  private readonly applied = new BehaviorSubject<number>(0);
  /** Releases every waiter when the service stops, instead of leaving them to their timeouts. */
  private readonly destroyed = new Subject<void>();
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  /** Ends the pause after a failure at once (a waiter wants the next attempt now); null when not paused. */
  private retryNow: (() => void) | null = null;
  lastError: string | null = null;
  /** The error the last attempt to write the read models failed with; null once a slice commits. */
  private readonly failure = new BehaviorSubject<unknown>(null);

  constructor(
    private readonly store: EventStore,
    private readonly readModels: LiveReadModels,
  ) {}

  /** The last position whose effects are in the read models. */
  get position(): number {
    return this.applied.value;
  }

  get position$(): Observable<number> {
    return this.applied.asObservable();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
    this.destroyed.next();
  }

  /**
   * Resolves once the read models include `position` (read-your-writes after an append). With
   * `unlessStorageFull`, fails with 507 STORAGE.FULL as soon as the read models cannot be written
   * for want of space (now or while waiting) instead of waiting for a catch-up that cannot come.
   */
  async waitFor(position: number, timeoutMs = 60_000, options: { unlessStorageFull?: boolean } = {}): Promise<void> {
    if (this.applied.value >= position) return;
    // A storage-full failure from before this call may be stale (the room may have returned since):
    // the projector tries again at once, and only that attempt's outcome (or a later one's) refuses.
    const stale = this.failure.value !== null;
    if (stale && options.unlessStorageFull && isStorageFull(this.failure.value)) this.retryNow?.();
    const full = this.failure.pipe(
      skip(stale ? 1 : 0),
      filter((error) => error !== null && isStorageFull(error)),
      map(() => {
        throw storageFull();
      }),
    );
    const reached = await firstValueFrom(
      merge(this.applied.pipe(filter((p) => p >= position)), options.unlessStorageFull ? full : EMPTY).pipe(
        takeUntil(this.destroyed),
        timeout({
          first: timeoutMs,
          with: () => {
            throw new AppError('PROJECTION.LAGGING', `read models did not reach position ${position} within ${timeoutMs} ms`, 503, {
              position,
              applied: this.applied.value,
              lastError: this.lastError,
            });
          },
        }),
      ),
      { defaultValue: null },
    );
    if (reached === null) throw new AppError('PROJECTION.STOPPED', 'the service is stopping', 503, { position });
  }

  /**
   * Empties the read models and replays the whole log into them, or, given `base` (a state database
   * at some position, for a compacted log), starts from that state and replays what follows it.
   * `onProgress` sees the position reached and the head it is heading for. Resolves when the
   * rebuild has caught up with that head.
   */
  async rebuild(onProgress?: (applied: number, head: number) => void, base?: string): Promise<void> {
    await this.stop();
    await this.readModels.reset();
    if (base) await this.readModels.loadState(base);
    const head = await this.store.headPosition();
    await this.start();
    const subscription = this.applied.subscribe((p) => onProgress?.(p, head));
    try {
      await this.waitFor(head, 24 * 3600_000);
    } finally {
      subscription.unsubscribe();
    }
  }

  private async start(): Promise<void> {
    this.applied.next(await this.readModels.checkpoint());
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  private async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.controller = null;
    this.loop = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for await (const batch of this.store.subscribe(this.applied.value + 1, { signal, batchSize: 1000 })) {
          await this.applyBatch(batch);
          if (signal.aborted) return;
        }
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.failure.next(error);
        this.logger.error(`projection failed after position ${this.applied.value}: ${this.lastError}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RETRY_AFTER_FAILURE_MS);
          this.retryNow = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.retryNow = null;
      }
    }
  }

  private async applyBatch(batch: RecordedEvent[]): Promise<void> {
    for (const slice of weightedSlices(batch, MAX_ROWS_PER_TRANSACTION)) {
      await this.readModels.apply(slice);
      this.lastError = null;
      if (this.failure.value !== null) this.failure.next(null);
      this.applied.next(slice[slice.length - 1].position);
      await yieldToEventLoop();
    }
  }
}
