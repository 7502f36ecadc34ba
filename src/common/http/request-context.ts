import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { z } from 'zod';
import { EventMetadata, eventSourceSchema } from '../../domain/event-metadata';
import { requestIdOf } from './request-id';

/**
 * Who is asking and through what. A request a token authenticated acts as that token
 * (`token:<name>`, set by the auth guard); `X-Actor` is then only a display name beside it
 * (`actorName`). Without a token (loopback, tokens not required) the actor is the local name the
 * client gives in `X-Actor` (the Globe UI sends its user name), else "anonymous"; a local name that
 * contains ':' is recorded as `local:<name>`, so it cannot pose as a token (`token:`) or the
 * scheduler (`scheduler:`). The source is `X-Source` (ui, cli, api), else "api". The correlation id
 * is the request's id (request-id.ts: the client's `X-Request-Id`, else one made for it), the same
 * id its log line and its response's `X-Request-Id` header carry.
 */
export interface RequestContext {
  actor: string;
  actorName?: string;
  source: EventMetadata['source'];
  correlationId: string;
  reason?: string;
}

const headersSchema = z.object({
  'x-actor': z.string().trim().min(1).max(200).optional().catch(undefined),
  'x-source': eventSourceSchema.extract(['api', 'ui', 'cli']).catch('api').default('api'),
  'x-reason': z.string().trim().min(1).max(1000).optional().catch(undefined),
});

const TOKEN_ACTOR = Symbol('globe-vault:token-actor');

/** Called by the auth guard once a token authenticated `req`: everything the request writes is that token's. */
export function actAsToken(req: Request, actor: string): void {
  (req as Request & { [TOKEN_ACTOR]?: string })[TOKEN_ACTOR] = actor;
}

export function contextFromRequest(req: Request): RequestContext {
  const h = headersSchema.parse(req.headers);
  const tokenActor = (req as Request & { [TOKEN_ACTOR]?: string })[TOKEN_ACTOR];
  const who = tokenActor
    ? { actor: tokenActor, ...(h['x-actor'] ? { actorName: h['x-actor'] } : {}) }
    : { actor: localActor(h['x-actor'] ?? 'anonymous') };
  return { ...who, source: h['x-source'], correlationId: requestIdOf(req), reason: h['x-reason'] };
}

const localActor = (name: string): string => (name.includes(':') ? `local:${name}` : name);

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => contextFromRequest(ctx.switchToHttp().getRequest()));

export function metadataFor(ctx: RequestContext, causationId: string | null = null): EventMetadata {
  return {
    actor: ctx.actor,
    ...(ctx.actorName ? { actorName: ctx.actorName } : {}),
    source: ctx.source,
    correlationId: ctx.correlationId,
    causationId,
    ...(ctx.reason ? { reason: ctx.reason } : {}),
  };
}
