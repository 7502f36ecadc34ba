import { Global, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AccessGuard } from './access.guard';
import { ApiTokens } from './api-tokens';
import { Authenticator } from './authenticator';
import { RateLimitGuard, rateLimitOptions } from './rate-limit.guard';
import { SocketAccess } from './socket-access';
import { TokensController } from './tokens.controller';

/**
 * API tokens and roles, checked on every route (AccessGuard, then the rate limits) and on the
 * progress socket's handshake (SocketAccess). Global so the gateway can reach SocketAccess.
 */
@Global()
@Module({
  imports: [ThrottlerModule.forRootAsync({ inject: [AppConfig], useFactory: rateLimitOptions })],
  controllers: [TokensController],
  providers: [
    ApiTokens,
    Authenticator,
    SocketAccess,
    // Guards run in this order: who it is first, then how often.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [SocketAccess],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly tokens: ApiTokens,
    private readonly config: AppConfig,
  ) {}

  /** Secure by default: a service that requires tokens does not start when no admin could get in. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.authenticator.tokensRequired || (await this.tokens.anAdminCanGetIn())) return;
    const { HOST, AUTH_REQUIRED } = this.config.values;
    const why = AUTH_REQUIRED ? 'AUTH_REQUIRED is set' : `HOST=${HOST} is not a loopback address`;
    throw new Error(
      `Refusing to start: ${why}, so every request needs an API token, and no admin token exists. ` +
        'Set ADMIN_TOKEN (at least 16 random characters, e.g. `openssl rand -base64 32`) to seed the first admin, ' +
        'or listen on loopback (HOST=127.0.0.1) without AUTH_REQUIRED.',
    );
  }
}
