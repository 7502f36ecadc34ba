import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '../auth/roles';
import { Metrics } from './metrics';

/**
 * Prometheus' scrape target. A viewer may read it (everything in it, a viewer can already read
 * through the API: counts, jobs, backups); give Prometheus a viewer token when the service
 * requires tokens, nothing stronger. Open on a loopback service like every other read.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Role('viewer')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'the metrics, in the Prometheus text format' })
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
