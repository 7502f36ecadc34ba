import { Role } from '../../src/auth/roles';

/**
 * Every HTTP route of the API, once, with what each spec that must cover every route needs of it:
 * the weakest role it accepts (the access matrix, test/auth/access.e2e-spec.ts) and what a
 * well-meaning client sends it (the hostile-input harness mutates that, test/reliability). Both
 * specs check this table against the routes the router really holds, so a route added without a
 * line here fails them instead of escaping access control's proof or the fuzzer.
 */

/** What a route's `:param` names. */
export type Resource = 'dataset' | 'location' | 'configuration' | 'backup' | 'job' | 'restore' | 'token';

export interface ApiRoute {
  /** The weakest role it accepts; `open` for the few routes anyone may call without a token (`@Open`: probes, the API explorer's page). */
  role: Role | 'open';
  /** The resource its `:param` names (one per route at most). */
  param?: Resource;
  /** How its body travels: none, a JSON document, or a file streamed to disk (import, upload). */
  body: 'none' | 'json' | 'import' | 'upload';
  /** A body the route accepts. */
  valid?: (n: number) => unknown;
  /** A query the route accepts. */
  query?: Record<string, string>;
  /**
   * What the access matrix sends instead (its ids are `no-such-<resource>`): a body or query that
   * reaches the route but makes it do nothing (an admin's probe must not start a backup).
   */
  probe?: { body?: unknown; query?: string };
}

const location = (n: number) => ({ name: `Fuzz ${n}`, latitude: (n % 170) - 85, longitude: (n % 350) - 175, quantity: n, properties: { n } });

/** `METHOD /path` (Express syntax, as the router holds it) → the route. */
export const API_ROUTES: Record<string, ApiRoute> = {
  'POST /api/archive/promote': { role: 'admin', body: 'none', probe: { body: {} } },
  'GET /api/audit': { role: 'viewer', body: 'none', query: { limit: '5', order: 'asc' } },
  'GET /api/audit/verify': { role: 'viewer', body: 'none', query: { wait: 'false' }, probe: { query: 'wait=false' } },
  'GET /api/backup-schedules': { role: 'viewer', body: 'none' },
  'PUT /api/backup-schedules': { role: 'admin', body: 'json', valid: () => ({}), probe: { body: { nope: 1 } } },
  'POST /api/backups': { role: 'admin', body: 'json', valid: () => ({ includeHistory: false, compression: 'none' }), probe: { body: { nope: 1 } } },
  'GET /api/backups': { role: 'viewer', body: 'none' },
  'GET /api/backups/health': { role: 'viewer', body: 'none' },
  'POST /api/backups/upload': { role: 'admin', body: 'upload', probe: { body: {} } },
  'GET /api/backups/:id': { role: 'viewer', param: 'backup', body: 'none' },
  'GET /api/backups/:id/download': { role: 'viewer', param: 'backup', body: 'none' },
  'POST /api/backups/:id/drill': { role: 'admin', param: 'backup', body: 'none', probe: { body: {} } },
  'DELETE /api/backups/:id': { role: 'admin', param: 'backup', body: 'none' },
  'POST /api/backups/:id/verify': { role: 'admin', param: 'backup', body: 'json', valid: () => ({}), probe: { body: {} } },
  'GET /api/export': { role: 'viewer', body: 'none', query: { format: 'csv' }, probe: { query: 'format=nope' } },
  'GET /api/jobs': { role: 'viewer', body: 'none', query: { limit: '5' } },
  'GET /api/jobs/:id': { role: 'viewer', param: 'job', body: 'none' },
  'POST /api/jobs/:id/cancel': { role: 'editor', param: 'job', body: 'none' },
  'GET /api/snapshots': { role: 'viewer', body: 'none' },
  'POST /api/snapshots': { role: 'admin', body: 'none', probe: { body: { nope: 1 } } },
  'POST /api/snapshots/compact': { role: 'admin', body: 'none', probe: { body: { nope: 1 } } },
  'POST /api/datasets/import': { role: 'editor', body: 'import', query: { name: 'Fuzz import', fileName: 'fuzz.csv' }, probe: { body: {} } },
  'POST /api/datasets/:id/import': { role: 'editor', param: 'dataset', body: 'import', query: { fileName: 'fuzz.csv', duplicateHandling: 'allow' }, probe: { body: {} } },
  'POST /api/datasets/:datasetId/locations': { role: 'editor', param: 'dataset', body: 'json', valid: location, probe: { body: {} } },
  'GET /api/globe/points': { role: 'viewer', body: 'none', query: { format: 'binary' } },
  'GET /api/locations': { role: 'viewer', body: 'none', query: { limit: '10' } },
  'GET /api/locations/:id': { role: 'viewer', param: 'location', body: 'none' },
  'PATCH /api/locations/:id': { role: 'editor', param: 'location', body: 'json', valid: (n) => ({ name: `Renamed ${n}` }), probe: { body: {} } },
  'DELETE /api/locations/:id': { role: 'editor', param: 'location', body: 'none' },
  'GET /api/configurations': { role: 'viewer', body: 'none' },
  'GET /api/configurations/:id': { role: 'viewer', param: 'configuration', body: 'none' },
  'PUT /api/configurations/:id': { role: 'editor', param: 'configuration', body: 'json', valid: (n) => ({ kind: 'filter', name: `Filter ${n}`, value: { min: n } }), probe: { body: {} } },
  'DELETE /api/configurations/:id': { role: 'editor', param: 'configuration', body: 'none' },
  'POST /api/datasets': { role: 'editor', body: 'json', valid: (n) => ({ name: `Fuzz dataset ${n}` }), probe: { body: {} } },
  'GET /api/datasets': { role: 'viewer', body: 'none' },
  'GET /api/datasets/:id': { role: 'viewer', param: 'dataset', body: 'none' },
  'PATCH /api/datasets/:id': { role: 'editor', param: 'dataset', body: 'json', valid: (n) => ({ description: `edit ${n}` }), probe: { body: {} } },
  'DELETE /api/datasets/:id': { role: 'editor', param: 'dataset', body: 'none' },
  'GET /api/settings': { role: 'viewer', body: 'none' },
  'PATCH /api/settings': { role: 'admin', body: 'json', valid: (n) => ({ searchQuery: `fuzz ${n}` }), probe: { body: { nope: 1 } } },
  'GET /api/state': { role: 'viewer', body: 'none' },
  'POST /api/log/compact': { role: 'admin', body: 'none', probe: { body: { nope: 1 } } },
  'POST /api/projections/rebuild': { role: 'admin', body: 'none', probe: { body: { nope: 1 } } },
  'POST /api/restores/preview': { role: 'admin', body: 'json', valid: () => ({ target: { position: 1 }, scope: {} }), probe: { body: {} } },
  'POST /api/restores': { role: 'admin', body: 'json', valid: () => ({ previewToken: 'not-a-token', strategy: 'fail' }), probe: { body: {} } },
  'GET /api/restores': { role: 'viewer', body: 'none' },
  'GET /api/restores/:id': { role: 'viewer', param: 'restore', body: 'none' },
  'POST /api/restores/:id/undo': { role: 'admin', param: 'restore', body: 'json', valid: () => ({}), probe: { body: {} } },
  'POST /api/restore-points': { role: 'editor', body: 'json', valid: (n) => ({ name: `Point ${n}` }), probe: { body: {} } },
  'GET /api/restore-points': { role: 'viewer', body: 'none' },
  'POST /api/tokens': { role: 'admin', body: 'json', valid: (n) => ({ name: `fuzz ${n}`, role: 'viewer' }), probe: { body: {} } },
  'GET /api/tokens': { role: 'admin', body: 'none' },
  'DELETE /api/tokens/:id': { role: 'admin', param: 'token', body: 'none' },
  'GET /health': { role: 'open', body: 'none' },
  'GET /health/ready': { role: 'open', body: 'none' },
  'GET /metrics': { role: 'viewer', body: 'none' },
  'GET /api/docs': { role: 'open', body: 'none' },
  'GET /api/docs/init.js': { role: 'open', body: 'none' },
  'GET /api/docs-json': { role: 'viewer', body: 'none' },
};
