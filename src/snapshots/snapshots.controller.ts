import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Ctx, RequestContext } from '../common/http/request-context';
import { SnapshotJobs } from './snapshot-jobs';
import { SnapshotStore, SnapshotView } from './snapshot-store';
import { RateLimited } from '../auth/rate-limit.guard';
import { Role } from '../auth/roles';

@Controller('api/snapshots')
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotStore, private readonly jobs: SnapshotJobs) {}

  /** Newest first, with each one's position, hash, size, counts, reason and status (valid, or why not). */
  @Get()
  @Role('viewer')
  async list(): Promise<{ items: SnapshotView[]; next: null }> {
    return { items: await this.snapshots.list(), next: null };
  }

  /** Takes a snapshot now, as a job: 202 {jobId}; the job's result is the snapshot. */
  @Post()
  @Role('admin')
  @RateLimited('heavy')
  @HttpCode(202)
  async take(@Ctx() ctx: RequestContext): Promise<{ jobId: string }> {
    return { jobId: (await this.jobs.takeSnapshot('manual', ctx.actor)).id };
  }

  /** Thins snapshots by the retention policy in the settings, as a job: 202 {jobId}. */
  @Post('compact')
  @Role('admin')
  @RateLimited('heavy')
  @HttpCode(202)
  async compact(@Ctx() ctx: RequestContext): Promise<{ jobId: string }> {
    return { jobId: (await this.jobs.compact(ctx.actor, 'api')).id };
  }
}
