/**
 * Every HTTP route of the service, with what a well-meaning client would send it: the hostile-input
 * harness mutates these. route-catalog.e2e-spec.ts checks the list against the app's own router,
 * so a route added without an entry here fails the suite instead of going unfuzzed.
 */

export type Resource = 'dataset' | 'location' | 'configuration' | 'backup' | 'job' | 'restore';

/** Ids the harness knows exist (refreshed from listings as the run goes). */
export type Pools = Record<Resource, string[]>;

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express syntax, as the router holds it. */
  path: string;
  /** The resource its `:param` names (one per route at most). */
  param?: Resource;
  /** How its body travels: none, a JSON document, or a file streamed to disk (import, upload). */
  body: 'none' | 'json' | 'import' | 'upload';
  /** A body the route accepts. */
  valid?: (n: number) => unknown;
  /** A query the route accepts. */
  query?: Record<string, string>;
}

const location = (n: number) => ({ name: `Fuzz ${n}`, latitude: (n % 170) - 85, longitude: (n % 350) - 175, quantity: n, properties: { n } });

export const ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/api/audit', body: 'none', query: { limit: '5', order: 'asc' } },
  { method: 'GET', path: '/api/backup-schedules', body: 'none' },
  { method: 'PUT', path: '/api/backup-schedules', body: 'json', valid: () => ({}) },
  { method: 'POST', path: '/api/backups', body: 'json', valid: () => ({ includeHistory: false, compression: 'none' }) },
  { method: 'GET', path: '/api/backups', body: 'none' },
  { method: 'GET', path: '/api/backups/health', body: 'none' },
  { method: 'POST', path: '/api/backups/upload', body: 'upload' },
  { method: 'GET', path: '/api/backups/:id', param: 'backup', body: 'none' },
  { method: 'GET', path: '/api/backups/:id/download', param: 'backup', body: 'none' },
  { method: 'POST', path: '/api/backups/:id/drill', param: 'backup', body: 'none' },
  { method: 'DELETE', path: '/api/backups/:id', param: 'backup', body: 'none' },
  { method: 'POST', path: '/api/backups/:id/verify', param: 'backup', body: 'json', valid: () => ({}) },
  { method: 'GET', path: '/api/export', body: 'none', query: { format: 'csv' } },
  { method: 'GET', path: '/api/jobs', body: 'none', query: { limit: '5' } },
  { method: 'GET', path: '/api/jobs/:id', param: 'job', body: 'none' },
  { method: 'POST', path: '/api/jobs/:id/cancel', param: 'job', body: 'none' },
  { method: 'GET', path: '/api/snapshots', body: 'none' },
  { method: 'POST', path: '/api/snapshots', body: 'none' },
  { method: 'POST', path: '/api/snapshots/compact', body: 'none' },
  { method: 'POST', path: '/api/datasets/:id/import', param: 'dataset', body: 'import', query: { fileName: 'fuzz.csv', duplicateHandling: 'allow' } },
  { method: 'POST', path: '/api/datasets/:datasetId/locations', param: 'dataset', body: 'json', valid: location },
  { method: 'GET', path: '/api/locations', body: 'none', query: { limit: '10' } },
  { method: 'GET', path: '/api/locations/:id', param: 'location', body: 'none' },
  { method: 'PATCH', path: '/api/locations/:id', param: 'location', body: 'json', valid: (n) => ({ name: `Renamed ${n}` }) },
  { method: 'DELETE', path: '/api/locations/:id', param: 'location', body: 'none' },
  { method: 'GET', path: '/api/configurations', body: 'none' },
  { method: 'GET', path: '/api/configurations/:id', param: 'configuration', body: 'none' },
  { method: 'PUT', path: '/api/configurations/:id', param: 'configuration', body: 'json', valid: (n) => ({ kind: 'filter', name: `Filter ${n}`, value: { min: n } }) },
  { method: 'DELETE', path: '/api/configurations/:id', param: 'configuration', body: 'none' },
  { method: 'POST', path: '/api/datasets', body: 'json', valid: (n) => ({ name: `Fuzz dataset ${n}` }) },
  { method: 'GET', path: '/api/datasets', body: 'none' },
  { method: 'GET', path: '/api/datasets/:id', param: 'dataset', body: 'none' },
  { method: 'PATCH', path: '/api/datasets/:id', param: 'dataset', body: 'json', valid: (n) => ({ description: `edit ${n}` }) },
  { method: 'DELETE', path: '/api/datasets/:id', param: 'dataset', body: 'none' },
  { method: 'GET', path: '/api/settings', body: 'none' },
  { method: 'PATCH', path: '/api/settings', body: 'json', valid: (n) => ({ searchQuery: `fuzz ${n}` }) },
  { method: 'GET', path: '/api/state', body: 'none' },
  { method: 'POST', path: '/api/log/compact', body: 'none' },
  { method: 'POST', path: '/api/projections/rebuild', body: 'none' },
  { method: 'POST', path: '/api/restores/preview', body: 'json', valid: () => ({ target: { position: 1 }, scope: {} }) },
  { method: 'POST', path: '/api/restores', body: 'json', valid: () => ({ previewToken: 'not-a-token', strategy: 'fail' }) },
  { method: 'GET', path: '/api/restores', body: 'none' },
  { method: 'GET', path: '/api/restores/:id', param: 'restore', body: 'none' },
  { method: 'POST', path: '/api/restores/:id/undo', param: 'restore', body: 'none' },
  { method: 'POST', path: '/api/restore-points', body: 'json', valid: (n) => ({ name: `Point ${n}` }) },
  { method: 'GET', path: '/api/restore-points', body: 'none' },
  { method: 'POST', path: '/api/tokens', body: 'json', valid: (n) => ({ name: `fuzz ${n}`, role: 'viewer' }) },
  { method: 'GET', path: '/api/tokens', body: 'none' },
  { method: 'DELETE', path: '/api/tokens/:id', body: 'none' },
];

/** `METHOD /path` of each catalogued route, sorted (what the router check compares). */
export const catalogued = (): string[] => ROUTES.map((r) => `${r.method} ${r.path}`).sort();
