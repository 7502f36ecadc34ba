import { JobView } from '../jobs/job';
import { Subscription } from './progress-protocol';

/**
 * Rooms are the subscription index of one instance: a socket sits in `job:<id>`, `kind:<kind>` or
 * `all` for each subscription it holds, and leaves them all when it disconnects.
 */
export function roomOf(subscription: Subscription): string {
  if (subscription.jobId !== undefined) return `job:${subscription.jobId}`;
  if (subscription.kind !== undefined) return `kind:${subscription.kind}`;
  return 'all';
}

/** Every room whose members asked for this job. */
export function roomsOf(job: JobView): string[] {
  return [`job:${job.id}`, `kind:${job.kind}`, 'all'];
}
