import { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../src/auth/roles';
import { API_ROUTES } from '../support/api-routes';

/**
 * Every HTTP route of the API with the weakest role it accepts, and a request that reaches it (a
 * path with ids that do not exist, the probe's body): derived from the one route table
 * (test/support/api-routes.ts). `routesOf` lists what the router really holds, so a route added
 * without a line there fails the access spec instead of escaping it.
 */
export interface RouteCase {
  role: Role | 'open';
  path: string;
  body?: unknown;
}

export const ROUTE_TABLE: Record<string, RouteCase> = Object.fromEntries(
  Object.entries(API_ROUTES).map(([route, r]) => {
    const path = route.split(' ')[1].replace(/:[A-Za-z]+/, `no-such-${r.param}`);
    return [route, { role: r.role, path: r.probe?.query ? `${path}?${r.probe.query}` : path, ...(r.probe && 'body' in r.probe ? { body: r.probe.body } : {}) }];
  }),
);

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route the Express router holds (the UI's catch-all, a pattern, excluded). */
export function routesOf(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const routes = express.router.stack.flatMap((layer) =>
    layer.route && typeof layer.route.path === 'string'
      ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`)
      : [],
  );
  return [...new Set(routes)].sort();
}
