import { useEffect } from 'react';
import { FINAL_JOB_STATES } from '../api/types';
import { announceJobEnd } from './dataChanges';
import { watchJobs } from './progressSocket';

/**
 * Once per page: when any job ends (started here, in another tab, or by the scheduler), the topics
 * it may have changed are announced, so every view reloads what it shows.
 */
export function useJobAnnouncements(): void {
  useEffect(() => watchJobs('*', (job) => FINAL_JOB_STATES.includes(job.state) && announceJobEnd(job)), []);
}
