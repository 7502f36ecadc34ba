import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../common/http/parse-input';
import { JobView, jobKindSchema, jobStateSchema } from './job';
import { JobRunner } from './job-runner';
import { Role } from '../auth/roles';
import { ApiQueryOf } from '../common/http/api-input';
import { ApiAnswer, ApiPageAnswer } from '../common/http/api-answer';
import { jobAnswer } from './job.answers';

const listJobsQuery = z
  .object({ kind: jobKindSchema.optional(), state: jobStateSchema.optional(), limit: z.coerce.number().int().min(1).max(500).default(50) })
  .strict();

@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobRunner) {}

  /** Recent jobs, newest first. */
  @Get()
  @Role('viewer')
  @ApiQueryOf(listJobsQuery)
  @ApiPageAnswer('Job', jobAnswer)
  async list(@Query() query: unknown): Promise<{ items: JobView[]; next: null }> {
    return { items: await this.jobs.list(parseInput(listJobsQuery, query, 'QUERY.INVALID')), next: null };
  }

  @Get(':id')
  @Role('viewer')
  @ApiAnswer('Job', jobAnswer)
  get(@Param('id') id: string): Promise<JobView> {
    return this.jobs.get(id);
  }

  @Post(':id/cancel')
  @Role('editor')
  @HttpCode(202)
  @ApiAnswer('Job', jobAnswer, 202)
  cancel(@Param('id') id: string): Promise<JobView> {
    return this.jobs.cancel(id);
  }
}
