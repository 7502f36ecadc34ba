import { JobKind, JobView, ProgressUpdate } from '../../../src/jobs/job';
import { JobCancelledError } from '../../../src/jobs/job-errors';
import { JobContext, JobRunner } from '../../../src/jobs/job-runner';

/** Longer than JobRunner's 100 ms throttle: each step is its own update, and a pause this long lets it flush. */
export const STEP_MS = 120;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A running job the test drives step by step; cancelling it ends it the way real work does. */
export interface ControlledJob {
  id: string;
  progress(update: ProgressUpdate): void;
  complete(result?: unknown): void;
  fail(error: unknown): void;
}

/** Starts a job and resolves once its work runs, so `progress` reaches the runner at once. */
export async function startControlledJob(runner: JobRunner, kind: JobKind = 'snapshot'): Promise<ControlledJob> {
  const context = deferred<JobContext>();
  const outcome = deferred<unknown>();
  const view = await runner.start({ kind, actor: 'tester', params: { synthetic: true } }, (ctx) => {
    ctx.signal.addEventListener('abort', () => outcome.reject(new JobCancelledError(ctx.id)));
    context.resolve(ctx);
    return outcome.promise;
  });
  const ctx = await context.promise;
  return { id: view.id, progress: (update) => ctx.progress(update), complete: (result) => outcome.resolve(result ?? null), fail: outcome.reject };
}

export interface PacedJobSpec {
  kind?: JobKind;
  /** Progress calls made, done = 1..updates. */
  updates: number;
  durationMs: number;
  /** Announced total; null leaves it unknown, as a stream of unknown length would. */
  total?: number | null;
}

/** A job that reports `updates` progress calls spread evenly over about `durationMs`, then completes. */
export function startPacedJob(runner: JobRunner, spec: PacedJobSpec): Promise<JobView> {
  const { updates, durationMs } = spec;
  const total = spec.total === undefined ? updates : spec.total;
  const batches = Math.max(1, Math.round(durationMs / 10));
  return runner.start({ kind: spec.kind ?? 'snapshot', actor: 'tester', params: { synthetic: true } }, async (ctx) => {
    ctx.progress({ phase: 'working', total, done: 0 });
    for (let done = 1; done <= updates; done++) {
      ctx.progress({ done });
      if (done % Math.ceil(updates / batches) === 0) await sleep(durationMs / batches);
    }
    return { done: updates };
  });
}
