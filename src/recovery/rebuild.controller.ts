import { Controller, HttpCode, Post } from '@nestjs/common';
import { Ctx, RequestContext } from '../common/http/request-context';
import { EventStore } from '../events/event-store';
import { JobRunner } from '../jobs/job-runner';
import { Projector } from '../projections/projector';
import { LogCompaction } from './log-compaction';
import { StateAtService } from './state-at.service';
import { RateLimited } from '../auth/rate-limit.guard';
import { Role } from '../auth/roles';

@Controller('api')
export class RebuildController {
  constructor(
    private readonly projector: Projector,
    private readonly store: EventStore,
    private readonly stateAt: StateAtService,
    private readonly jobs: JobRunner,
    private readonly logCompaction: LogCompaction,
  ) {}

  /** Opt-in log compaction now (see LogCompaction): 202 {jobId}; 409 when it is off. */
  @Post('log/compact')
  @Role('admin')
  @RateLimited('heavy')
  @HttpCode(202)
  async compactLog(@Ctx() ctx: RequestContext): Promise<{ jobId: string }> {
    return { jobId: (await this.logCompaction.start(ctx.actor, ctx.source)).id };
  }

  /**
   * Drops the read models and replays the log into them, as a job with progress. A compacted log
   * starts from its base snapshot (the state just before its first event).
   */
  @Post('projections/rebuild')
  @Role('admin')
  @RateLimited('heavy')
  @HttpCode(202)
  async rebuild(@Ctx() ctx: RequestContext): Promise<{ jobId: string }> {
    const job = await this.jobs.start({ kind: 'rebuild', actor: ctx.actor, exclusive: true, cancellable: false }, async (job) => {
      job.progress({ phase: 'replaying' });
      const onProgress = (applied: number, head: number) => job.progress({ done: applied, total: head });
      const first = await this.store.firstPosition();
      if (first > 1) await this.stateAt.use(first - 1, (base) => this.projector.rebuild(onProgress, base.path));
      else await this.projector.rebuild(onProgress);
      this.stateAt.clear();
      return { position: this.projector.position };
    });
    return { jobId: job.id };
  }
}
