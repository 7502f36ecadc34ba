import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { AppError } from '../common/app-error';
import { actAsToken } from '../common/http/request-context';
import { forbidden } from './auth-errors';
import { Authenticator, bearerToken } from './authenticator';
import { Principal } from './principal';
import { OPEN_METADATA, ROLE_METADATA, Role, grants } from './roles';

/**
 * The one check of every HTTP route (a global guard): the presented token, then the route's role
 * (`@Role`, admin when a route names none); an `@Open` route (probes) is let through unchecked. A request it lets through acts as its token's identity
 * (request-context.ts). Refusals are logged with method, path and token id, never the token.
 * Socket.IO connections are checked at their handshake instead (SocketAccess).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly authenticator: Authenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (this.reflector.getAllAndOverride<boolean | undefined>(OPEN_METADATA, [context.getHandler(), context.getClass()])) return true;
    const needed = this.reflector.getAllAndOverride<Role | undefined>(ROLE_METADATA, [context.getHandler(), context.getClass()]) ?? 'admin';
    let principal: Principal;
    try {
      principal = await this.authenticator.authenticate(bearerToken(req.headers.authorization), req.ip ?? 'unknown');
    } catch (error) {
      this.refused(req, error as AppError, req.headers.authorization ? 'unknown' : 'none');
      throw error;
    }
    if (!grants(principal.role, needed)) {
      const error = forbidden(`this needs the ${needed} role; the token "${principal.name}" is ${principal.role}`);
      this.refused(req, error, principal.tokenId ?? 'local');
      throw error;
    }
    if (principal.actor) actAsToken(req, principal.actor);
    return true;
  }

  private refused(req: Request, error: AppError, tokenId: string): void {
    this.logger.warn(`refused ${req.method} ${req.path}: ${error.code} (token ${tokenId}, client ${req.ip ?? '-'})`);
  }
}
