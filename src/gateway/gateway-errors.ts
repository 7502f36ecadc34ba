import { Logger } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { DomainError } from '../domain/domain-errors';
import { ProgressFailure } from './progress-protocol';

/** A `subscribe` or `unsubscribe` payload that is not `{jobId}`, `{kind}` or `{}`. */
export const INVALID_SUBSCRIPTION = 'GATEWAY.INVALID_SUBSCRIPTION';

export const redisUnreachable = (waitedMs: number) =>
  new AppError('GATEWAY.REDIS_UNREACHABLE', `REDIS_URL is set, but Redis did not answer within ${waitedMs} ms`, 503);

const logger = new Logger('ProgressGateway');

/**
 * What a client is told about a refused request or connection: an AppError or a DomainError keeps
 * its stable code and message; anything else becomes GATEWAY.INTERNAL, its cause logged here and never sent.
 */
export function toFailure(error: unknown): ProgressFailure {
  if (error instanceof AppError || error instanceof DomainError) return { code: error.code, message: error.message };
  logger.error('unexpected error on the progress gateway', error instanceof Error ? error.stack : String(error));
  return { code: 'GATEWAY.INTERNAL', message: 'internal error' };
}
