import { Injectable } from '@nestjs/common';
import { JobView } from '../jobs/job';
import { JobRunner } from '../jobs/job-runner';
import { SnapshotCompaction } from './snapshot-compaction';
import { SnapshotReason, SnapshotStore } from './snapshot-store';

/** Snapshot and compaction work as jobs, one of each kind at a time, whoever asks (a user, the schedule, the event counter). */
@Injectable()
export class SnapshotJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly snapshots: SnapshotStore,
    private readonly compaction: SnapshotCompaction,
  ) {}

  takeSnapshot(reason: SnapshotReason, actor: string): Promise<JobView> {
    return this.jobs.start({ kind: 'snapshot', actor, exclusive: true, cancellable: false, params: { reason } }, async (job) => {
      job.progress({ phase: 'copying' });
      return this.snapshots.take(reason);
    });
  }

  compact(actor: string, source: 'api' | 'scheduler'): Promise<JobView> {
    return this.jobs.start({ kind: 'compaction', actor, exclusive: true, cancellable: false }, async (job) => {
      job.progress({ phase: 'waiting for readers' });
      const metadata = { actor, source, correlationId: job.id, causationId: null };
      return this.compaction.compact(metadata, (done, total) => job.progress({ phase: 'removing', done, total }));
    });
  }

}
