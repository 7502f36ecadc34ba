/**
 * Refused tokens per client address in fixed one-minute windows: past the limit, every token that
 * address presents answers 429 until its window ends. Guessing a 256-bit token is hopeless anyway;
 * this keeps a scanner from filling the log and the CPU (each attempt costs an HMAC and a lookup).
 * One process's memory: a cluster limits per instance.
 */
export class FailedAttempts {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly now: () => number,
  ) {}

  isBlocked(client: string): boolean {
    const window = this.current(client);
    return window !== undefined && window.count >= this.limitPerMinute;
  }

  record(client: string): void {
    const window = this.current(client);
    if (window) window.count++;
    else this.windows.set(client, { count: 1, endsAt: this.now() + 60_000 });
  }

  private current(client: string): { count: number; endsAt: number } | undefined {
    const window = this.windows.get(client);
    if (window && window.endsAt > this.now()) return window;
    this.windows.delete(client);
    if (this.windows.size > 10_000) this.forgetEnded();
    return undefined;
  }

  private forgetEnded(): void {
    const now = this.now();
    for (const [client, window] of this.windows) if (window.endsAt <= now) this.windows.delete(client);
  }
}
