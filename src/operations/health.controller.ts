import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult } from '@nestjs/terminus';
import { Response } from 'express';
import { Open } from '../auth/roles';
import { Readiness } from './readiness';

/** Probes: open to callers without a token (see `@Open`); neither holds Globe data. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  /** Alive: the process answers HTTP. No I/O, so a slow disk or store never makes a liveness probe restart a healthy process. */
  @Get()
  @Open()
  @ApiOperation({ summary: 'Liveness: the process answers (no token needed)' })
  @ApiOkResponse({ description: '{status: "ok", uptimeSeconds}' })
  alive(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  @Open()
  @ApiOperation({ summary: 'Readiness: database, event store, projection lag, no rebuild or restore under way; backups, storages and archive reported (no token needed)' })
  @ApiOkResponse({ description: 'terminus report: {status: "ok", info, error, details}' })
  @ApiServiceUnavailableResponse({ description: 'HEALTH.NOT_READY, the report in `details`' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult | NotReady> {
    const report = await this.readiness.check();
    if (report.status === 'ok') return report;
    // Answered here rather than thrown: a probe that finds the service busy is not an error to log
    // with a stack every few seconds; the body has the shape every error has.
    res.status(503);
    return { code: 'HEALTH.NOT_READY', message: `not ready: ${Object.keys(report.error ?? {}).join(', ')}`, details: report };
  }
}

interface NotReady {
  code: 'HEALTH.NOT_READY';
  message: string;
  details: HealthCheckResult;
}
