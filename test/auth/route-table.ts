import { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../src/auth/roles';

/**
 * Every HTTP route of the API with the weakest role it accepts, and a request that reaches it (a
 * path with sample ids, a body). `routesOf` lists what the router really holds, so a route added
 * without a line here fails the access spec instead of escaping it.
 */
export interface RouteCase {
  role: Role;
  path: string;
  body?: unknown;
}

export const ROUTE_TABLE: Record<string, RouteCase> = {
  'GET /api/datasets': { role: 'viewer', path: '/api/datasets' },
  'POST /api/datasets': { role: 'editor', path: '/api/datasets', body: {} },
  'GET /api/datasets/:id': { role: 'viewer', path: '/api/datasets/no-such-dataset' },
  'PATCH /api/datasets/:id': { role: 'editor', path: '/api/datasets/no-such-dataset', body: {} },
  'DELETE /api/datasets/:id': { role: 'editor', path: '/api/datasets/no-such-dataset' },
  'POST /api/datasets/:id/import': { role: 'editor', path: '/api/datasets/no-such-dataset/import', body: {} },
  'POST /api/datasets/:datasetId/locations': { role: 'editor', path: '/api/datasets/no-such-dataset/locations', body: {} },
  'GET /api/locations': { role: 'viewer', path: '/api/locations' },
  'GET /api/locations/:id': { role: 'viewer', path: '/api/locations/no-such-location' },
  'PATCH /api/locations/:id': { role: 'editor', path: '/api/locations/no-such-location', body: {} },
  'DELETE /api/locations/:id': { role: 'editor', path: '/api/locations/no-such-location' },
  'GET /api/settings': { role: 'viewer', path: '/api/settings' },
  'PATCH /api/settings': { role: 'admin', path: '/api/settings', body: { nope: 1 } },
  'GET /api/configurations': { role: 'viewer', path: '/api/configurations' },
  'GET /api/configurations/:id': { role: 'viewer', path: '/api/configurations/no-such-configuration' },
  'PUT /api/configurations/:id': { role: 'editor', path: '/api/configurations/no-such-configuration', body: {} },
  'DELETE /api/configurations/:id': { role: 'editor', path: '/api/configurations/no-such-configuration' },
  'GET /api/audit': { role: 'viewer', path: '/api/audit' },
  'GET /api/audit/verify': { role: 'viewer', path: '/api/audit/verify' },
  'GET /api/jobs': { role: 'viewer', path: '/api/jobs' },
  'GET /api/jobs/:id': { role: 'viewer', path: '/api/jobs/no-such-job' },
  'POST /api/jobs/:id/cancel': { role: 'editor', path: '/api/jobs/no-such-job/cancel' },
  'GET /api/state': { role: 'viewer', path: '/api/state' },
  'POST /api/projections/rebuild': { role: 'admin', path: '/api/projections/rebuild', body: { nope: 1 } },
  'POST /api/log/compact': { role: 'admin', path: '/api/log/compact', body: { nope: 1 } },
  'GET /api/snapshots': { role: 'viewer', path: '/api/snapshots' },
  'POST /api/snapshots': { role: 'admin', path: '/api/snapshots', body: { nope: 1 } },
  'POST /api/snapshots/compact': { role: 'admin', path: '/api/snapshots/compact', body: { nope: 1 } },
  'POST /api/restore-points': { role: 'editor', path: '/api/restore-points', body: {} },
  'GET /api/restore-points': { role: 'viewer', path: '/api/restore-points' },
  'POST /api/restores/preview': { role: 'admin', path: '/api/restores/preview', body: {} },
  'POST /api/restores': { role: 'admin', path: '/api/restores', body: {} },
  'GET /api/restores': { role: 'viewer', path: '/api/restores' },
  'GET /api/restores/:id': { role: 'viewer', path: '/api/restores/no-such-restore' },
  'POST /api/restores/:id/undo': { role: 'admin', path: '/api/restores/no-such-restore/undo', body: {} },
  'POST /api/backups': { role: 'admin', path: '/api/backups', body: { nope: 1 } },
  'GET /api/backups': { role: 'viewer', path: '/api/backups' },
  'GET /api/backups/health': { role: 'viewer', path: '/api/backups/health' },
  'POST /api/backups/upload': { role: 'admin', path: '/api/backups/upload', body: {} },
  'GET /api/backups/:id': { role: 'viewer', path: '/api/backups/no-such-backup' },
  'GET /api/backups/:id/download': { role: 'viewer', path: '/api/backups/no-such-backup/download' },
  'POST /api/backups/:id/drill': { role: 'admin', path: '/api/backups/no-such-backup/drill', body: {} },
  'POST /api/backups/:id/verify': { role: 'admin', path: '/api/backups/no-such-backup/verify', body: {} },
  'DELETE /api/backups/:id': { role: 'admin', path: '/api/backups/no-such-backup' },
  'GET /api/backup-schedules': { role: 'viewer', path: '/api/backup-schedules' },
  'PUT /api/backup-schedules': { role: 'admin', path: '/api/backup-schedules', body: { nope: 1 } },
  'GET /api/export': { role: 'viewer', path: '/api/export?format=nope' },
  'POST /api/tokens': { role: 'admin', path: '/api/tokens', body: {} },
  'GET /api/tokens': { role: 'admin', path: '/api/tokens' },
  'DELETE /api/tokens/:id': { role: 'admin', path: '/api/tokens/no-such-token' },
};

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route the Express router holds under /api (the UI's catch-all excluded). */
export function routesOf(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const routes = express.router.stack.flatMap((layer) =>
    layer.route && typeof layer.route.path === 'string' && layer.route.path.startsWith('/api')
      ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`)
      : [],
  );
  return [...new Set(routes)].sort();
}
