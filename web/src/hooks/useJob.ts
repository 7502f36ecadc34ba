import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { FINAL_JOB_STATES, type JobView } from '../api/types';
import { announceJobEnd } from './dataChanges';
import { progressConnected, watchJobs } from './progressSocket';

/** How often the job is read over HTTP while the progress socket is not connected. */
const POLL_MS = 1500;

const isFinal = (job: JobView | null) => job !== null && FINAL_JOB_STATES.includes(job.state);
const isNewer = (next: JobView, prev: JobView | null) => !prev || (!isFinal(prev) && (isFinal(next) || next.updatedAt >= prev.updatedAt));

/**
 * The live view of one job: pushed by the Socket.IO gateway, read over HTTP only while the socket
 * is down. Views never go backwards (an older one arriving late is ignored) and a final state is
 * final; when it arrives, what the job changed is announced so the views reload.
 */
export function useJob(jobId: string | null): JobView | null {
  const [job, setJob] = useState<JobView | null>(null);
  useEffect(() => {
    setJob(null);
    if (!jobId) return;
    let latest: JobView | null = null;
    const accept = (view: JobView) => {
      if (!isNewer(view, latest)) return;
      latest = view;
      setJob(view);
      if (isFinal(view)) announceJobEnd(view);
    };
    const stop = watchJobs(jobId, accept);
    const poll = setInterval(() => {
      if (!isFinal(latest) && !progressConnected()) api.get<JobView>(`/api/jobs/${jobId}`).then(accept, () => undefined);
    }, POLL_MS);
    return () => {
      stop();
      clearInterval(poll);
    };
  }, [jobId]);
  return job;
}

export const isFinished = isFinal;
