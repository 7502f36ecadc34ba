import { z } from 'zod';
import { JobView, jobKindSchema } from '../jobs/job';

/**
 * The wire contract of the `/progress` namespace.
 *
 * Client → server: `subscribe` and `unsubscribe`, each with a Subscription and an optional ack
 * callback that receives a ProgressAck. Server → client, every job payload a JobView exactly as
 * `GET /api/jobs/:id` shows it:
 * - `job.state`: the answer to a subscribe, one per job it covers, sent before the ack; and the
 *   first event of a job that begins after a subscribe that covers it (every job starts with it);
 * - `job.progress`: live changes (at most ~10 a second per job);
 * - `job.completed` | `job.failed` | `job.cancelled`: the final state, at most once per socket and job;
 * - `error`: a refused request that came without an ack, as `{code, message}`.
 */
export const PROGRESS_NAMESPACE = '/progress';

/** `{jobId}` one job, `{kind}` every job of a kind, `{}` every job the client may see. */
export const subscriptionSchema = z
  .strictObject({ jobId: z.uuid().optional(), kind: jobKindSchema.optional() })
  .refine((s) => s.jobId === undefined || s.kind === undefined, { error: 'give jobId or kind, not both' });
export type Subscription = z.infer<typeof subscriptionSchema>;

export interface ProgressFailure {
  code: string;
  message: string;
}
export type ProgressAck = { ok: true } | ({ ok: false } & ProgressFailure);
export type AckCallback = (answer: ProgressAck) => void;

export const FINAL_EVENTS = { completed: 'job.completed', failed: 'job.failed', cancelled: 'job.cancelled' } as const;
type FinalEvent = (typeof FINAL_EVENTS)[keyof typeof FINAL_EVENTS];
export const STATE_EVENT = 'job.state';
type JobEvent = typeof STATE_EVENT | 'job.progress' | FinalEvent;

export type ProgressServerEvents = { [E in JobEvent]: (job: JobView) => void } & {
  error: (failure: ProgressFailure) => void;
};

/** The event that carries a live view: its final event once the job has ended, else `job.progress`. */
export function liveEventOf(job: JobView): 'job.progress' | FinalEvent {
  return finalEventOf(job) ?? 'job.progress';
}

export function finalEventOf(job: JobView): FinalEvent | null {
  switch (job.state) {
    case 'completed':
    case 'failed':
    case 'cancelled':
      return FINAL_EVENTS[job.state];
    case 'queued':
    case 'running':
      return null;
    default:
      return job.state satisfies never;
  }
}
