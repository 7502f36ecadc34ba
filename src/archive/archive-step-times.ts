import { performance } from 'node:perf_hooks';

/**
 * Where one upload round's wall time went, in ms:
 * - late: from when the round was due to when it started (the event loop's delay behind other work);
 * - fence: the epoch fence's LIST before the uploads;
 * - read: reading the new events from the log;
 * - seal: serializing, hashing and gzipping them (and encrypting) to a temporary file;
 * - upload: the PUT, until the store answered;
 * - ack: the cursor written and fsynced (only then is the position counted as archived);
 * - total: the round, from its start to its end (late not included).
 * Wall time, not CPU: every step also waits for the event loop it shares with the HTTP work.
 */
export interface StepTimes {
  late: number;
  fence: number;
  read: number;
  seal: number;
  upload: number;
  ack: number;
  total: number;
}

/** The step times of the rounds that uploaded, as health reports them (GET /api/backups/health, archive.steps). */
export interface ArchiveSteps {
  /** Rounds that uploaded at least one segment since the process started. */
  rounds: number;
  last: StepTimes | null;
  mean: StepTimes | null;
  max: StepTimes | null;
}

const zero = (): StepTimes => ({ late: 0, fence: 0, read: 0, seal: 0, upload: 0, ack: 0, total: 0 });
const STEPS = Object.keys(zero()) as (keyof StepTimes)[];
const round1 = (t: StepTimes): StepTimes => Object.fromEntries(STEPS.map((k) => [k, Math.round(t[k] * 10) / 10])) as unknown as StepTimes;

/** Accumulates the step times of the round in progress, and of every round that uploaded. */
export class ArchiveStepClock {
  private current: StepTimes = zero();
  private startedAt = 0;
  private rounds = 0;
  private last: StepTimes | null = null;
  private readonly sum = zero();
  private readonly max = zero();

  begin(lateMs: number): void {
    this.current = { ...zero(), late: lateMs };
    this.startedAt = performance.now();
  }

  /** Times `work` as `step` of the round in progress (added to what the step already took). */
  async time<T>(step: Exclude<keyof StepTimes, 'late' | 'total'>, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.current[step] += performance.now() - start;
    }
  }

  /** Adds ms measured elsewhere (the log reads interleaved with the sealing) to `step`, taking them off `from`. */
  move(ms: number, from: 'seal', step: 'read'): void {
    this.current[from] -= ms;
    this.current[step] += ms;
  }

  /** Ends the round; it counts only if it uploaded. */
  end(uploaded: boolean): void {
    if (!uploaded) return;
    const t = { ...this.current, total: performance.now() - this.startedAt };
    this.rounds += 1;
    this.last = t;
    for (const k of STEPS) {
      this.sum[k] += t[k];
      this.max[k] = Math.max(this.max[k], t[k]);
    }
  }

  report(): ArchiveSteps {
    if (this.rounds === 0) return { rounds: 0, last: null, mean: null, max: null };
    const mean = Object.fromEntries(STEPS.map((k) => [k, this.sum[k] / this.rounds])) as unknown as StepTimes;
    return { rounds: this.rounds, last: round1(this.last!), mean: round1(mean), max: round1(this.max) };
  }
}

/** The events, with the time spent waiting for each one from the source added to `into.ms` (the source is closed when the reader stops early). */
export async function* timedSource<T>(events: AsyncIterable<T>, into: { ms: number }): AsyncGenerator<T> {
  const it = events[Symbol.asyncIterator]();
  try {
    for (;;) {
      const start = performance.now();
      const next = await it.next();
      into.ms += performance.now() - start;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await it.return?.();
  }
}
