import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult } from '@nestjs/terminus';
import { Open } from '../auth/roles';
import { Readiness } from './readiness';

/** Probes: open to callers without a token (see `@Open`); neither holds Globe data. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly started = Date.now();

  constructor(private readonly readiness: Readiness) {}

  /** Alive: the process answers HTTP. No I/O, so a slow disk or store never makes a liveness probe restart a healthy process. */
  @Get()
  @Open()
  @ApiOperation({ summary: 'Liveness: the process answers (no token needed)' })
  @ApiOkResponse({ description: '{status: "ok", uptimeSeconds}' })
  alive(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.started) / 1000) };
  }

  @Get('ready')
  @Open()
  @ApiOperation({ summary: 'Readiness: database, event store, projection lag, no rebuild or restore under way; backups, storages and archive reported (no token needed)' })
  @ApiOkResponse({ description: 'terminus report: {status: "ok", info, error, details}' })
  @ApiServiceUnavailableResponse({ description: 'HEALTH.NOT_READY, the report in `details`' })
  ready(): Promise<HealthCheckResult> {
    return this.readiness.check();
  }
}
