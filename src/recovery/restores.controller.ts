import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../common/http/parse-input';
import { Ctx, RequestContext } from '../common/http/request-context';
import { alreadyUndone } from './recovery-errors';
import { RestoreHistory, RestoreView } from './restore-history';
import { previewBody, restoreBody, restorePointBody, undoBody } from './restore.dto';
import { Preview, RestoreService } from './restore.service';
import { RestorePointView, RestorePointsService } from './restore-points.service';
import { RateLimited } from '../auth/rate-limit.guard';
import { Role } from '../auth/roles';
import { ApiJsonBody, ApiQueryOf } from '../common/http/api-input';
import { AllowedWhileReadOnly } from '../archive/write.guard';
import { ApiAnswer, ApiPageAnswer } from '../common/http/api-answer';
import { restoreAnswer, RestoreStarted, restoreStartedAnswer } from './restore.answers';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
const asRestoreMetadata = (ctx: RequestContext) => ({ actor: ctx.actor, source: 'restore' as const, causationId: ctx.correlationId, ...(ctx.reason ? { reason: ctx.reason } : {}) });

@Controller('api')
export class RestoresController {
  constructor(
    private readonly restores: RestoreService,
    private readonly history: RestoreHistory,
    private readonly restorePoints: RestorePointsService,
  ) {}

  /** What a restore would change; writes nothing. The answer's previewToken is what POST /api/restores quotes. */
  @Post('restores/preview')
  @Role('admin')
  @ApiJsonBody('RestorePreviewBody', previewBody)
  @AllowedWhileReadOnly()
  @RateLimited('heavy')
  @HttpCode(200)
  preview(@Body() body: unknown): Promise<Preview> {
    const { target, scope } = parseInput(previewBody, body, 'RESTORE.INVALID_INPUT');
    return this.restores.preview(target, scope);
  }

  @Post('restores')
  @Role('admin')
  @ApiJsonBody('RestoreBody', restoreBody)
  @RateLimited('heavy')
  @HttpCode(202)
  @ApiAnswer('RestoreStarted', restoreStartedAnswer, 202)
  start(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<RestoreStarted> {
    const { previewToken, strategy, overrides, passphrase } = parseInput(restoreBody, body, 'RESTORE.INVALID_INPUT');
    return this.restores.start(previewToken, strategy, overrides, asRestoreMetadata(ctx), passphrase);
  }

  @Get('restores')
  @Role('viewer')
  @ApiQueryOf(listQuery)
  @ApiPageAnswer('Restore', restoreAnswer)
  async list(@Query() query: unknown): Promise<{ items: RestoreView[]; next: null }> {
    return { items: await this.history.list(parseInput(listQuery, query, 'QUERY.INVALID').limit), next: null };
  }

  @Get('restores/:id')
  @Role('viewer')
  @ApiAnswer('Restore', restoreAnswer)
  get(@Param('id') id: string): Promise<RestoreView> {
    return this.history.find(id);
  }

  /**
   * Undoes a restore (itself a restore, to the position before it, for its scope); 409
   * RESTORE.ALREADY_UNDONE if an undo of it stands. With the token of its preview, 409
   * RESTORE.PREVIEW_STALE (nothing written) if the data changed since that preview.
   */
  @Post('restores/:id/undo')
  @Role('admin')
  @ApiJsonBody('UndoBody', undoBody)
  @RateLimited('heavy')
  @HttpCode(202)
  @ApiAnswer('RestoreStarted', restoreStartedAnswer, 202)
  async undo(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<RestoreStarted> {
    const { previewToken } = parseInput(undoBody, body ?? {}, 'RESTORE.INVALID_INPUT');
    const restore = await this.history.find(id);
    // A second undo would append a restore that changes nothing, or worse, undo later work.
    if (restore.undoneBy) throw alreadyUndone(restore.id, restore.undoneBy.id);
    return this.restores.undo({ restoreId: restore.id, basePosition: restore.basePosition, scope: restore.scope }, asRestoreMetadata(ctx), previewToken);
  }

  @Post('restore-points')
  @Role('editor')
  @ApiJsonBody('RestorePointBody', restorePointBody)
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<RestorePointView> {
    const { name, description } = parseInput(restorePointBody, body, 'RESTORE_POINT.INVALID_INPUT');
    return this.restorePoints.create(name, description, { actor: ctx.actor, source: ctx.source, correlationId: ctx.correlationId, causationId: null });
  }

  @Get('restore-points')
  @Role('viewer')
  @ApiQueryOf(listQuery)
  async points(@Query() query: unknown): Promise<{ items: RestorePointView[]; next: null }> {
    return { items: await this.restorePoints.list(parseInput(listQuery, query, 'QUERY.INVALID').limit), next: null };
  }
}
