import { FINAL_JOB_STATES, JobView } from '../jobs/job';

export const isFinal = (job: JobView): boolean => FINAL_JOB_STATES.includes(job.state);

/**
 * Whether `a` is an older view of the same job than `b`. A final view is the job's last word, so it
 * is never older than a running one; otherwise `updatedAt` decides (views of one job come from the
 * one runner that owns it, so their timestamps share a clock).
 */
export function isOlder(a: JobView, b: JobView): boolean {
  if (isFinal(a) !== isFinal(b)) return isFinal(b);
  return a.updatedAt < b.updatedAt;
}

/** The later of two views of one job; on a tie, `b` (the later arrival). */
export const laterView = (a: JobView, b: JobView): JobView => (isOlder(b, a) ? a : b);

/** One view per job, the latest, in the order the jobs were created. */
export function latestPerJob(views: readonly JobView[]): JobView[] {
  const latest = new Map<string, JobView>();
  for (const view of views) {
    const known = latest.get(view.id);
    latest.set(view.id, known ? laterView(known, view) : view);
  }
  return [...latest.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
