import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { EventMetadata, eventSourceSchema } from '../../domain/event-metadata';

/**
 * Who is asking and through what. Until API tokens land (auth issue), the actor is what the client
 * says in `X-Actor` (the Globe UI sends its user name), else "anonymous"; the source is `X-Source`
 * (ui, cli, api), else "api". `X-Request-Id` becomes the correlation id when it is given.
 */
export interface RequestContext {
  actor: string;
  source: EventMetadata['source'];
  correlationId: string;
  reason?: string;
}

const headersSchema = z.object({
  'x-actor': z.string().trim().min(1).max(200).catch('anonymous').default('anonymous'),
  'x-source': eventSourceSchema.extract(['api', 'ui', 'cli']).catch('api').default('api'),
  'x-request-id': z.string().trim().min(1).max(200).optional().catch(undefined),
  'x-reason': z.string().trim().min(1).max(1000).optional().catch(undefined),
});

export function contextFromRequest(req: Request): RequestContext {
  const h = headersSchema.parse(req.headers);
  return { actor: h['x-actor'], source: h['x-source'], correlationId: h['x-request-id'] ?? uuidv7(), reason: h['x-reason'] };
}

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => contextFromRequest(ctx.switchToHttp().getRequest()));

export function metadataFor(ctx: RequestContext, causationId: string | null = null): EventMetadata {
  return {
    actor: ctx.actor,
    source: ctx.source,
    correlationId: ctx.correlationId,
    causationId,
    ...(ctx.reason ? { reason: ctx.reason } : {}),
  };
}
