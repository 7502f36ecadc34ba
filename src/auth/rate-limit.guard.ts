import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { rateLimited } from './auth-errors';

/** The named limits: `heavy` (backups, restores, imports, uploads, verify/drill, rebuild, compaction) and `tokens`. */
export type RateLimit = 'heavy' | 'tokens';
const RATE_LIMIT_METADATA = 'globe-vault:rate-limit';

/** Puts a route under one of the named limits; routes without it are not rate-limited. */
export const RateLimited = (limit: RateLimit) => SetMetadata(RATE_LIMIT_METADATA, limit);

const limitOf = (context: ExecutionContext): RateLimit | undefined =>
  Reflect.getMetadata(RATE_LIMIT_METADATA, context.getHandler()) ?? Reflect.getMetadata(RATE_LIMIT_METADATA, context.getClass());

/** The throttler's options: a one-minute window per client address for each named limit, applied only where a route asks for it. */
export function rateLimitOptions(config: AppConfig) {
  const named = (name: RateLimit, limit: number) => ({ name, ttl: 60_000, limit, skipIf: (context: ExecutionContext) => limitOf(context) !== name });
  return {
    throttlers: [named('heavy', config.values.RATE_LIMIT_HEAVY_PER_MINUTE), named('tokens', config.values.RATE_LIMIT_TOKENS_PER_MINUTE)],
  };
}

/** @nestjs/throttler's guard for HTTP routes, answering 429 RATE.LIMITED through the one error filter. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async throwThrottlingException(context: ExecutionContext): Promise<void> {
    throw rateLimited(limitOf(context) === 'tokens' ? 'token requests' : 'heavy requests (backups, restores, imports, uploads, drills, rebuilds)');
  }
}
