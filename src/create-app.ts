import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { dirname } from 'node:path';
import { AppModule } from './app.module';
import { applyHttpSecurity } from './auth/http-security';
import { refuseDeepJsonBody } from './common/http/json-body-depth';
import { isStreamedBodyRoute } from './common/http/raw-body-routes';
import { serveUi } from './common/http/serve-ui';
import { AppError } from './common/app-error';
import { AppConfig } from './config/app-config';
import { DOCS_ASSETS_PATH } from './operations/docs-page';
import { requestLogging } from './operations/logging';
import { Metrics } from './operations/metrics';
import { OpenApiDocument } from './operations/openapi';
import { ROOT_LOGGER } from './operations/operations.module';

/** swagger-ui's files, as @nestjs/swagger installs them (its dependency, at its pinned version). */
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'));

/**
 * Builds the application (used by main.ts and by the e2e specs). Every request is first given its
 * id and logged (pino), then timed for the metrics, then checked (Host/Origin/CSRF, security
 * headers). Nest's own body parser is off: JSON bodies are parsed with a size limit everywhere
 * except the streamed-upload routes.
 */
export async function createApp(configure?: (app: INestApplication) => void): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  const config = app.get(AppConfig).values;
  app.useLogger(app.get(Logger));
  app.use(requestLogging(app.get(ROOT_LOGGER)));
  app.use(app.get(Metrics).httpMiddleware);
  applyHttpSecurity(app, app.get(AppConfig));
  const json = express.json({ limit: config.MAX_JSON_BYTES, type: ['application/json', 'application/*+json'], verify: refuseDeepJsonBody });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isStreamedBodyRoute(req.originalUrl)) return next();
    // Nest would turn the parser's own errors into a generic 400 before the filter sees them.
    json(req, res, (error?: { type?: string }) => next(error ? bodyParserError(error) : undefined));
  });
  app.disable('x-powered-by');
  app.use(DOCS_ASSETS_PATH, express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1h' }));
  app.get(OpenApiDocument).attach(app);
  if (config.SERVE_UI) serveUi(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  configure?.(app);
  return app;
}

function bodyParserError(error: { type?: string; message?: string }): AppError {
  if (error instanceof AppError) return error;
  if (error.type === 'entity.too.large') return new AppError('REQUEST.TOO_LARGE', 'the body is larger than allowed', 413);
  if (error.type === 'entity.parse.failed') return new AppError('REQUEST.MALFORMED_JSON', 'the body is not valid JSON', 400);
  return new AppError('REQUEST.UNREADABLE_BODY', error.message ?? 'the body could not be read', 400);
}
