import { Logger } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { csrfRefused, hostNotAllowed, originNotAllowed } from './auth-errors';
import { OriginPolicy, changesState, hostAllowed, isCsrfAble, isLoopbackHost, originAllowed } from './host-rules';

export function originPolicyOf(config: AppConfig): OriginPolicy {
  const { HOST, ALLOWED_HOSTS, CORS_ORIGINS } = config.values;
  return {
    checkHost: isLoopbackHost(HOST) || ALLOWED_HOSTS.length > 0,
    allowedHosts: ALLOWED_HOSTS.map((host) => host.toLowerCase()),
    corsOrigins: CORS_ORIGINS,
  };
}

/**
 * Express middleware run before anything else reads a request (body parsers, the UI's files, the
 * routes): keeps web pages the user visits out of a service that trusts its loopback interface.
 * A DNS-rebinding page reaches it under a foreign Host name; a cross-site page sends a foreign
 * Origin, or a form-like request that needs no CORS preflight. Each refusal is logged.
 */
export function requestGate(policy: OriginPolicy): (req: Request, res: Response, next: NextFunction) => void {
  const logger = new Logger('Access');
  return (req, _res, next) => {
    const refusal = !hostAllowed(policy, req.headers.host)
      ? hostNotAllowed(String(req.headers.host ?? ''))
      : changesState(req.method) && !originAllowed(policy, req.headers.origin, req.headers.host)
        ? originNotAllowed(String(req.headers.origin))
        : isCsrfAble(req.method, req.headers)
          ? csrfRefused()
          : null;
    if (!refusal) return next();
    logger.warn(`refused ${req.method} ${req.path}: ${refusal.code} (host ${req.headers.host ?? '-'}, origin ${req.headers.origin ?? '-'})`);
    next(refusal);
  };
}
