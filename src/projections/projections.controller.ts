import { Controller, HttpCode, Post } from '@nestjs/common';
import { Ctx, RequestContext } from '../common/http/request-context';
import { JobRunner } from '../jobs/job-runner';
import { Projector } from './projector';

@Controller('api/projections')
export class ProjectionsController {
  constructor(private readonly projector: Projector, private readonly jobs: JobRunner) {}

  /** Drops the read models and replays the whole log into them, as a job with progress. */
  @Post('rebuild')
  @HttpCode(202)
  async rebuild(@Ctx() ctx: RequestContext): Promise<{ jobId: string }> {
    const job = await this.jobs.start({ kind: 'rebuild', actor: ctx.actor, exclusive: true, cancellable: false }, async (job) => {
      job.progress({ phase: 'replaying' });
      await this.projector.rebuild((applied, head) => job.progress({ done: applied, total: head }));
      return { position: this.projector.position };
    });
    return { jobId: job.id };
  }
}
