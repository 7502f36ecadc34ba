import { JobView } from '../../../src/jobs/job';
import { FINAL_EVENT_NAMES, Received } from './progress-client';

export interface JobStream {
  state: JobView;
  progress: JobView[];
  final: Received;
}

/**
 * The guarantees a subscriber by jobId holds for one job, checked on what it received: `job.state`
 * first; then only `job.progress`; exactly one final event, last; `done` and `updatedAt` never go
 * back. Returns the parts for further checks.
 */
export function expectWellFormedStream(received: Received[], jobId: string): JobStream {
  const events = received.filter((r) => r.job.id === jobId);
  const names = events.map((r) => r.event);
  expect(names[0]).toBe('job.state');
  expect(names.filter((name) => FINAL_EVENT_NAMES.includes(name))).toHaveLength(1);
  expect(FINAL_EVENT_NAMES).toContain(names[names.length - 1]);
  expect(names.slice(1, -1).every((name) => name === 'job.progress')).toBe(true);
  expectNeverBackwards(events.map((r) => r.job));
  return { state: events[0].job, progress: events.slice(1, -1).map((r) => r.job), final: events[events.length - 1] };
}

export function expectNeverBackwards(views: JobView[]): void {
  for (let i = 1; i < views.length; i++) {
    expect(views[i].done).toBeGreaterThanOrEqual(views[i - 1].done);
    expect(views[i].updatedAt >= views[i - 1].updatedAt).toBe(true);
  }
}
