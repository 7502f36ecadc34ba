import express, { Express, NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build:web` puts the Globe UI. */
export const UI_DIR = resolve(__dirname, '..', '..', '..', 'web', 'dist');

/**
 * Serves the built UI from the app itself (no second server): static files, and index.html for any
 * other GET outside the service's own paths (/api, /socket.io, /health, /metrics) so client-side
 * routes survive a reload. Absent a build, the API runs alone.
 */
/** Every GET path but the service's own: a probe accepting anything must reach /health and /metrics, not index.html. */
const SPA_ROUTES = /^(?!\/api\/|\/api$|\/socket\.io\/|\/health$|\/health\/|\/metrics$).*/;

export function serveUi(app: Express, dir = UI_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
  app.get(SPA_ROUTES, (req: Request, res: Response, next: NextFunction) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
