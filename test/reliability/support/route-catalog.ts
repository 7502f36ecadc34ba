import { API_ROUTES, ApiRoute, Resource } from '../../support/api-routes';

/**
 * Every HTTP route of the service, with what a well-meaning client would send it: the hostile-input
 * harness mutates these. They come from the one route table (test/support/api-routes.ts), which
 * route-catalog.e2e-spec.ts checks against the app's own router, so a route added without an entry
 * fails the suite instead of going unfuzzed.
 */

export type { Resource };

/** Ids the harness knows exist (refreshed from listings as the run goes). */
export type Pools = Record<Resource, string[]>;

export interface RouteSpec extends Omit<ApiRoute, 'role' | 'probe'> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express syntax, as the router holds it. */
  path: string;
}

export const ROUTES: RouteSpec[] = Object.entries(API_ROUTES).map(([route, { role: _role, probe: _probe, ...spec }]) => {
  const [method, path] = route.split(' ');
  return { method: method as RouteSpec['method'], path, ...spec };
});

/** `METHOD /path` of each catalogued route, sorted (what the router check compares). */
export const catalogued = (): string[] => ROUTES.map((r) => `${r.method} ${r.path}`).sort();
