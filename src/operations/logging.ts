import { IncomingMessage, ServerResponse } from 'node:http';
import { NextFunction } from 'express';
import { Store, storage } from 'nestjs-pino/storage';
import pino, { DestinationStream, Level, Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestIdOf } from '../common/http/request-id';
import { AppConfig, AppConfigValues } from '../config/app-config';

/** Nest's level names (LOG_LEVEL) as pino's. */
const PINO_LEVEL: Record<AppConfigValues['LOG_LEVEL'], Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Answers probes and scrapers get every few seconds: logged at debug when they succeed (warn otherwise), so they do not drown the rest. */
const QUIET_PATHS = new Set(['/health', '/health/ready', '/metrics']);

/**
 * The one pino logger of the process: JSON lines on stdout (one object per line, ISO time), or
 * pino-pretty's readable lines when LOG_FORMAT=pretty, or when it is `auto` and stdout is a
 * terminal. pino-pretty is a development dependency: without it, the lines stay JSON.
 */
export function rootLogger(config: AppConfig, stdout: NodeJS.WriteStream = process.stdout): Logger {
  const { LOG_LEVEL, LOG_FORMAT } = config.values;
  const options = { level: PINO_LEVEL[LOG_LEVEL], timestamp: pino.stdTimeFunctions.isoTime };
  const pretty = LOG_FORMAT === 'pretty' || (LOG_FORMAT === 'auto' && stdout.isTTY === true);
  const stream = pretty ? prettyStream() : null;
  return stream ? pino(options, stream) : pino(options);
}

function prettyStream(): DestinationStream | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return null;
  }
}

type Req = IncomingMessage & { originalUrl?: string };

/**
 * Express middleware, installed before anything else reads a request: gives the request its id
 * (request-id.ts; echoed in the `X-Request-Id` response header) and logs one line when the answer
 * is sent — method, URL, status, duration and that id, never a header (tokens and passphrases
 * travel in headers). Logs written while the request runs (refusals, errors) carry `requestId` too:
 * nestjs-pino's Logger writes through the logger its async-local store holds, set here as
 * nestjs-pino's own middleware would.
 */
export function requestLogging(logger: Logger) {
  const log = pinoHttp<Req, ServerResponse>({
    logger,
    genReqId: (req, res) => requestIdOf(req, res),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    wrapSerializers: true,
    customLogLevel: (req, res, error) => {
      const probe = QUIET_PATHS.has((req.originalUrl ?? req.url ?? '').split('?')[0]);
      if (probe) return res.statusCode < 400 ? 'debug' : 'warn';
      return error || res.statusCode >= 500 ? 'error' : 'info';
    },
    customSuccessMessage: (req, res) => `${req.method} ${req.originalUrl ?? req.url} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${req.originalUrl ?? req.url} ${res.statusCode}`,
  });
  return (req: Req, res: ServerResponse, next: NextFunction): void => log(req, res, () => storage.run(new Store((req as Req & { log: Logger }).log), next));
}
