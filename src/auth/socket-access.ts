import { Injectable, Logger } from '@nestjs/common';
import cors from 'cors';
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { AppError } from '../common/app-error';
import { hostNotAllowed, originNotAllowed } from './auth-errors';
import { Authenticator, Presented, bearerToken } from './authenticator';
import { OriginPolicy, hostAllowed, originAllowed } from './host-rules';
import { Principal } from './principal';
import { originPolicyOf } from './request-gate';

/**
 * The Socket.IO side of access control. The engine refuses a request under a foreign Host name or
 * from a foreign Origin before any handshake (browsers send Origin on WebSocket and cross-site
 * polling requests; WebSockets have no CORS of their own), and answers CORS only to CORS_ORIGINS
 * (no origin is echoed by default). Each connection then authenticates as an HTTP request does:
 * the token from `handshake.auth.token` or the Authorization header.
 */
@Injectable()
export class SocketAccess {
  private readonly logger = new Logger('Access');
  private readonly policy: OriginPolicy;

  constructor(
    private readonly authenticator: Authenticator,
    config: AppConfig,
  ) {
    this.policy = originPolicyOf(config);
  }

  /** Installs the engine-level checks on a Socket.IO server; call once, before it accepts connections. */
  guard(server: Server): void {
    const engine = server.engine;
    if (this.policy.corsOrigins.length > 0) engine.use(cors({ origin: [...this.policy.corsOrigins] }));
    engine.opts.allowRequest = (req, callback) => {
      const refusal = this.refusal(req);
      if (refusal) this.logger.warn(`refused a Socket.IO request: ${refusal.code} (host ${req.headers.host ?? '-'}, origin ${req.headers.origin ?? '-'})`);
      callback(refusal?.message ?? null, !refusal);
    };
  }

  /** Throws AUTH.UNAUTHENTICATED or RATE.LIMITED, which the client receives as `connect_error` with `data: {code, message}`. */
  async authenticate(handshake: Socket['handshake']): Promise<Principal> {
    const token: unknown = handshake.auth?.token;
    const presented: Presented = typeof token === 'string' ? { token } : token !== undefined ? { token: '' } : bearerToken(handshake.headers.authorization);
    try {
      return await this.authenticator.authenticate(presented, handshake.address);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL';
      this.logger.warn(`refused a Socket.IO handshake: ${code} (token ${presented ? 'unknown' : 'none'}, client ${handshake.address})`);
      throw error;
    }
  }

  private refusal(req: IncomingMessage): AppError | null {
    if (!hostAllowed(this.policy, req.headers.host)) return hostNotAllowed(String(req.headers.host ?? ''));
    if (!originAllowed(this.policy, req.headers.origin, req.headers.host)) return originNotAllowed(String(req.headers.origin));
    return null;
  }
}
