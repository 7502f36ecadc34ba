import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ApiTokens } from './api-tokens';
import { rateLimited, unauthenticated } from './auth-errors';
import { FailedAttempts } from './failed-attempts';
import { isLoopbackHost } from './host-rules';
import { LOCAL_USER, Principal } from './principal';

/** What a client presented: nothing, or a token (a malformed Authorization header counts as a wrong token). */
export type Presented = { token: string } | null;

/**
 * The one answer to "who is this?", for HTTP requests (the access guard) and Socket.IO handshakes
 * alike. Tokens are required when HOST is not loopback or AUTH_REQUIRED is set; otherwise a client
 * that presents none is the local user, and one that presents a token is held to it.
 */
@Injectable()
export class Authenticator {
  readonly tokensRequired: boolean;
  private readonly failures: FailedAttempts;

  constructor(
    private readonly tokens: ApiTokens,
    config: AppConfig,
    clock: Clock,
  ) {
    this.tokensRequired = config.values.AUTH_REQUIRED || !isLoopbackHost(config.values.HOST);
    this.failures = new FailedAttempts(config.values.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE, () => clock.now());
  }

  /** Throws AUTH.UNAUTHENTICATED (401) or RATE.LIMITED (429); `client` is the peer address. */
  async authenticate(presented: Presented, client: string): Promise<Principal> {
    if (!presented) {
      if (this.tokensRequired) throw unauthenticated('a token is required: send it as "Authorization: Bearer <token>"');
      return LOCAL_USER;
    }
    if (this.failures.isBlocked(client)) throw rateLimited('refused tokens from this address');
    const principal = await this.tokens.verify(presented.token);
    if (principal) return principal;
    this.failures.record(client);
    throw unauthenticated('the token is not valid: unknown, revoked or expired');
  }
}

/** `Authorization: Bearer <token>` (scheme case-insensitive); any other Authorization value is a wrong token. */
export function bearerToken(authorization: string | undefined): Presented {
  if (authorization === undefined) return null;
  const match = /^Bearer +([\x21-\x7e]{1,512})$/i.exec(authorization.trim());
  return { token: match ? match[1] : '' };
}
