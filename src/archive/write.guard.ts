import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { WriteGate } from '../events/write-gate';

const ALLOWED_WHILE_READ_ONLY = 'globe-vault:allowed-while-read-only';

/**
 * Marks a non-GET route that changes nothing (a restore preview computes a diff) or that exists for
 * a read-only instance (the promotion itself): the write guard lets it through.
 */
export const AllowedWhileReadOnly = () => SetMetadata(ALLOWED_WHILE_READ_ONLY, true);

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one place HTTP writes meet the write gate (a global guard, after the access and rate-limit
 * guards): every route but GET/HEAD/OPTIONS changes something (data, imports, restores, backups,
 * schedules, settings, tokens, snapshots, rebuilds), so all of them are refused while the gate is
 * closed, except the few marked @AllowedWhileReadOnly. A new write route is thus refused on a
 * follower without a line of its own.
 */
@Injectable()
export class WriteGuard implements CanActivate {
  constructor(
    private readonly gate: WriteGate,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || this.gate.open) return true;
    if (READS.has(context.switchToHttp().getRequest<Request>().method)) return true;
    if (this.reflector.getAllAndOverride<boolean>(ALLOWED_WHILE_READ_ONLY, [context.getHandler(), context.getClass()])) return true;
    this.gate.check();
    return true;
  }
}
