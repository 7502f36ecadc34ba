import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../../domain/domain-errors';
import { AppError } from '../app-error';
import { DOMAIN_ERROR_STATUS } from './domain-error-status';
import { asStorageFull } from '../storage-full';

interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * The one place errors become HTTP: AppError keeps its status and stable code; a DomainError gets
 * the status its code maps to (domain-error-status.ts); framework errors
 * (unknown route, wrong method) get HTTP.<status>; a write the disk had no room for is a 507
 * STORAGE.FULL (see storage-full.ts); anything else is a 500 whose cause is logged and never sent to
 * the client. Body-parser failures arrive here already as AppErrors (create-app.ts).
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const error = asStorageFull(thrown, this.config.values.dataDir);
    const [status, body] = this.toBody(error);
    if (body.code === 'STORAGE.FULL') this.logger.warn(`${body.message}${error !== thrown ? ` (${thrown instanceof Error ? thrown.message : String(thrown)})` : ''}`);
    else if (status >= 500) this.logger.error(body.message, error instanceof Error ? error.stack : String(error));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json(body);
  }

  private toBody(error: unknown): [number, ErrorBody] {
    if (error instanceof AppError) return [error.status, { code: error.code, message: error.message, details: error.details }];
    if (error instanceof DomainError) return [DOMAIN_ERROR_STATUS[error.code], { code: error.code, message: error.message, details: error.details }];
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const code = status === 404 ? 'HTTP.NOT_FOUND' : status === 413 ? 'REQUEST.TOO_LARGE' : `HTTP.${status}`;
      return [status, { code, message: error.message }];
    }
    return [500, { code: 'INTERNAL', message: 'internal error' }];
  }
}
