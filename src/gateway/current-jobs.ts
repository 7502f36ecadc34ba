import { AppError } from '../common/app-error';
import { JobKind, JobView } from '../jobs/job';
import { jobNotFound } from '../jobs/job-errors';
import { JobRunner } from '../jobs/job-runner';
import { latestPerJob } from './job-view-order';
import { ProgressPeers } from './progress-peers';

/** Active jobs are few; the cap only bounds one answer. */
const ACTIVE_LIMIT = 500;

/**
 * Where a subscribe's `job.state` comes from: this instance's JobRunner (its memory for the jobs it
 * runs, else the jobs table, which instances sharing a database share), and then the peers, which
 * covers instances that keep separate stores (SQLite with separate DATA_DIRs).
 */
export class CurrentJobs {
  constructor(
    private readonly runner: JobRunner,
    private readonly peers: ProgressPeers,
  ) {}

  /** The job as it stands now; JOB.NOT_FOUND when neither this instance nor a peer knows it. */
  async find(jobId: string): Promise<JobView> {
    const job = (await this.findLocal(jobId)) ?? (await this.peers.find(jobId));
    if (!job) throw jobNotFound(jobId);
    return job;
  }

  async findLocal(jobId: string): Promise<JobView | null> {
    try {
      return await this.runner.get(jobId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'JOB.NOT_FOUND') return null;
      throw error;
    }
  }

  /** Jobs not yet ended (queued or running), of one kind or of all, here and on the peers. */
  async active(kind: JobKind | null): Promise<JobView[]> {
    const [local, remote] = await Promise.all([this.activeLocal(kind), this.peers.active(kind)]);
    return latestPerJob([...local, ...remote]);
  }

  async activeLocal(kind: JobKind | null): Promise<JobView[]> {
    const filter = { kind: kind ?? undefined, limit: ACTIVE_LIMIT };
    const [queued, running] = await Promise.all([
      this.runner.list({ ...filter, state: 'queued' }),
      this.runner.list({ ...filter, state: 'running' }),
    ]);
    return [...queued, ...running];
  }
}
