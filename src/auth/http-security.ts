import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig } from '../config/app-config';
import { originPolicyOf, requestGate } from './request-gate';

/**
 * Everything HTTP-level that keeps the service to those allowed, installed by createApp before any
 * body parser or route: the Host/Origin/CSRF gate, security headers, and CORS (closed unless
 * CORS_ORIGINS opens it). Tokens and roles are checked per route by the AccessGuard; the Socket.IO
 * handshake by SocketAccess.
 */
export function applyHttpSecurity(app: NestExpressApplication, config: AppConfig): void {
  app.use(requestGate(originPolicyOf(config)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The built UI loads only its own scripts and styles; three.js textures may be data: or blob: URLs.
          'img-src': ["'self'", 'data:', 'blob:'],
          'worker-src': ["'self'", 'blob:'],
          'connect-src': ["'self'"],
          // Not forced: the loopback service is plain HTTP, and a TLS proxy in front sets its own.
          'upgrade-insecure-requests': null,
        },
      },
      // HSTS on plain HTTP (localhost) would make browsers refuse it later; the TLS proxy sets it.
      strictTransportSecurity: false,
    }),
  );
  const origins = config.values.CORS_ORIGINS;
  if (origins.length > 0) app.enableCors({ origin: [...origins], exposedHeaders: ['Content-Disposition'], maxAge: 600 });
}
