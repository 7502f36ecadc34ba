import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Logger as NestPinoLogger, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import { Logger } from 'pino';
import { ArchiveModule } from '../archive/archive.module';
import { BackupsModule } from '../backups/backups.module';
import { AppConfig } from '../config/app-config';
import { JobsModule } from '../jobs/jobs.module';
import { DocsController } from './docs.controller';
import { HealthController } from './health.controller';
import { rootLogger } from './logging';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { OpenApiDocument } from './openapi';
import { Readiness } from './readiness';

/** The process's one pino logger (logging.ts), shared by the request logger and Nest's Logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * nestjs-pino's Logger (what createApp hands to `app.useLogger`, so every `new Logger(...)` of the
 * code writes through pino) over the root logger. Its LoggerModule is not imported: that module
 * installs its middleware as Nest route middleware, which Express holds as catch-all routes of every
 * method (the route tables would list them); createApp installs the request logger instead.
 */
@Global()
@Module({
  providers: [
    { provide: ROOT_LOGGER, inject: [AppConfig], useFactory: (config: AppConfig) => rootLogger(config) },
    { provide: PARAMS_PROVIDER_TOKEN, inject: [ROOT_LOGGER], useFactory: (logger: Logger) => ({ pinoHttp: { logger } }) },
    PinoLogger,
    NestPinoLogger,
  ],
  exports: [ROOT_LOGGER, NestPinoLogger],
})
class RootLoggerModule {}

/**
 * What an operator runs the service with (README "Operating Globe Vault"): structured logs with
 * request ids (pino; the request logger itself is installed by createApp, first of all
 * middleware, and binds itself to Nest's Logger for the request's duration), the liveness
 * and readiness probes (terminus), Prometheus metrics, and the OpenAPI document with its explorer.
 */
@Module({
  imports: [
    RootLoggerModule,
    TerminusModule.forRoot({ logger: false }),
    JobsModule,
    BackupsModule,
    ArchiveModule,
  ],
  controllers: [HealthController, MetricsController, DocsController],
  providers: [Metrics, Readiness, OpenApiDocument],
  exports: [Metrics, OpenApiDocument],
})
export class OperationsModule {}
