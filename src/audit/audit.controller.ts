import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../common/app-error';
import { parseInput } from '../common/http/parse-input';
import { Ctx, RequestContext } from '../common/http/request-context';
import { EVENT_TYPES } from '../domain/events';
import { Role } from '../auth/roles';
import { ChainReport, EventStore, RecordedEvent } from '../events/event-store';
import { JobRunner } from '../jobs/job-runner';
import { ChainVerification } from './chain-verification';
import { ApiQueryOf } from '../common/http/api-input';

const isoTime = z.iso.datetime({ offset: true });
const auditQuery = z
  .object({
    stream: z.string().min(1).max(300).optional(),
    datasetId: z.string().min(1).max(200).optional(),
    type: z
      .string()
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(z.enum(EVENT_TYPES as [string, ...string[]])))
      .optional(),
    actor: z.string().min(1).max(200).optional(),
    correlationId: z.string().min(1).max(200).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    after: z.string().max(100).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

const verifyQuery = z.object({ wait: z.enum(['true', 'false']).default('true') }).strict();

const encode = (position: number) => Buffer.from(`p:${position}`).toString('base64url');
function decode(cursor: string): number {
  const match = /^p:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError('QUERY.INVALID_CURSOR', 'the cursor is not one this API returned', 400, { cursor });
  return Number(match[1]);
}

/**
 * The audit trail is the log itself: every event with who, when, through what and why. Newest
 * first by default; `next` is a cursor to pass back as `after`; `olderHistory` names the backup
 * that holds the events an opt-in log compaction removed (null while the log is whole).
 */
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly store: EventStore,
    private readonly verification: ChainVerification,
    private readonly jobs: JobRunner,
  ) {}

  /**
   * Walks the log's hash chain (an `audit-verify` job, its progress on the socket like any job's)
   * and answers its report with the job id: `{jobId, ok, verifiedFrom, verifiedThrough, headHash,
   * firstBrokenPosition?, reason?}`, 200 whether the chain holds or not. `?wait=false`: 202 `{jobId}`
   * at once, the report then being the job's result.
   */
  @Get('verify')
  @Role('viewer')
  @ApiQueryOf(verifyQuery)
  async verify(@Query() raw: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<{ jobId: string } & Partial<ChainReport>> {
    const { wait } = parseInput(verifyQuery, raw, 'QUERY.INVALID');
    const job = await this.verification.start(ctx.actor);
    if (wait === 'false') {
      res.status(202);
      return { jobId: job.id };
    }
    const done = await this.jobs.finished(job.id);
    if (done.state !== 'completed') {
      throw new AppError('AUDIT.VERIFY_FAILED', `the chain verification ${done.state}: ${done.error?.message ?? 'no reason given'}`, done.state === 'cancelled' ? 409 : 500, {
        jobId: job.id,
        error: done.error,
      });
    }
    return { jobId: job.id, ...(done.result as ChainReport) };
  }

  @Get()
  @Role('viewer')
  @ApiQueryOf(auditQuery)
  async list(@Query() raw: unknown): Promise<{ items: RecordedEvent[]; next: string | null; olderHistory: unknown }> {
    const q = parseInput(auditQuery, raw, 'QUERY.INVALID');
    const items = await this.store.query({
      stream: q.stream,
      datasetId: q.datasetId,
      types: q.type,
      actor: q.actor,
      correlationId: q.correlationId,
      fromTime: q.from,
      toTime: q.to,
      afterPosition: q.after ? decode(q.after) : undefined,
      direction: q.order === 'asc' ? 'forward' : 'backward',
      limit: q.limit + 1,
    });
    const more = items.length > q.limit;
    const page = more ? items.slice(0, q.limit) : items;
    return { items: page, next: more ? encode(page[page.length - 1].position) : null, olderHistory: await this.olderHistory() };
  }

  /** After an opt-in log compaction: where the trail continues (the backup that holds the removed events). */
  private async olderHistory(): Promise<unknown> {
    if ((await this.store.firstPosition()) <= 1) return null;
    const [compacted] = await this.store.query({ types: ['LogCompacted'], direction: 'backward', limit: 1 });
    return compacted?.type === 'LogCompacted' ? { beforePosition: compacted.data.upToPosition + 1, backup: compacted.data.backup } : null;
  }
}
