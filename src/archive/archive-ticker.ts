import { performance } from 'node:perf_hooks';

/**
 * When the archiver runs a round. Guarantees:
 * 1. One round at a time.
 * 2. Fixed rate: the next round is due `intervalMs` after the previous round STARTED (at once if
 *    that is already past), so a round's own duration does not stretch the period (an event waits
 *    at most one interval for the round that ships it, plus that round).
 * 3. `wake()` (an append committed) starts a round at once when none is in flight and the last round
 *    that had work started at least `intervalMs` ago; sooner than that it only brings the next round
 *    forward to that moment. So an idle archive ships a new write without waiting for the timer,
 *    and a busy one still makes at most one round of uploads per interval.
 * Times are the process's monotonic clock (performance.now): scheduling, not the log's time.
 */
export class ArchiveTicker {
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;
  private lastWorkAt = -Infinity;
  private inFlight: Promise<void> | null = null;
  private stopped = false;

  /**
   * @param round runs one round; answers whether it had work (uploaded or tried to), and gets how
   *   late it started after it was due (ms: the event loop's delay, or 0 after a wake).
   */
  constructor(
    private readonly intervalMs: number,
    private readonly round: (lateMs: number) => Promise<boolean>,
  ) {}

  start(): void {
    this.stopped = false;
    this.arm(this.intervalMs);
  }

  wake(): void {
    if (this.stopped || this.inFlight) return;
    const at = this.lastWorkAt + this.intervalMs;
    const now = performance.now();
    if (at <= now) this.arm(0);
    else if (at < this.dueAt) this.arm(at - now);
  }

  /** The round in flight, if any (resolves when it ends; never rejects). */
  get running(): Promise<void> | null {
    return this.inFlight;
  }

  /** No round starts after this; resolves when the one in flight has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private arm(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = performance.now() + delayMs;
    this.timer = setTimeout(() => this.run(), delayMs);
  }

  private run(): void {
    this.timer = null;
    if (this.stopped || this.inFlight) return;
    const started = performance.now();
    const late = Math.max(0, started - this.dueAt);
    this.inFlight = this.round(late)
      .then(
        (worked) => {
          if (worked) this.lastWorkAt = started;
        },
        () => undefined,
      )
      .finally(() => {
        this.inFlight = null;
        if (!this.stopped) this.arm(Math.max(0, started + this.intervalMs - performance.now()));
      });
  }
}
