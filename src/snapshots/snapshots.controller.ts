import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Ctx, RequestContext } from '../common/http/request-context';
import { JobRunner } from '../jobs/job-runner';
import { SnapshotStore, SnapshotView } from './snapshot-store';

@Controller('api/snapshots')
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotStore, private readonly jobs: JobRunner) {}

  @Get()
  async list(): Promise<{ items: SnapshotView[]; next: null }> {
    return { items: await this.snapshots.list(), next: null };
  }

  /** Takes a snapshot now, as a job: 202 {jobId}; the job's result is the snapshot. */
  @Post()
  @HttpCode(202)
  async take(@Ctx() ctx: RequestContext): Promise<{ jobId: string }> {
    const job = await this.jobs.start({ kind: 'snapshot', actor: ctx.actor, cancellable: false }, async (job) => {
      job.progress({ phase: 'copying' });
      return this.snapshots.take('manual');
    });
    return { jobId: job.id };
  }
}
