import fc from 'fast-check';
import { csv } from '../../support/app-harness';
import {
  flipBits,
  flipPayloadBits,
  gzipBomb,
  gzipBombBackup,
  hostileContentType,
  hostileId,
  hostileJson,
  hostileNumber,
  hostileQuery,
  hostileString,
  nestedText,
  tenMegabytes,
  withRawField,
} from './hostile-values';
import { RawRequest } from './raw-http';
import { Pools, ROUTES, RouteSpec } from './route-catalog';

/** One generated request: what it is (for the report). */
export interface HostileCase {
  kind: string;
  route: RouteSpec;
  req: RawRequest;
  /** The request must be refused (an invalid cron, non-UTF-8 bytes): a 2xx, or an import that completes, is a problem. */
  mustRefuse?: boolean;
}

/** What the generator draws from besides fast-check: ids that exist, a real backup file, a counter. */
export interface HostileContext {
  pools: Pools;
  backupFile: Buffer;
  n: number;
  rng: () => number;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

function pathOf(route: RouteSpec, id: string): string {
  return route.path.replace(/:[A-Za-z]+/, id);
}

function validId(route: RouteSpec, ctx: HostileContext): string {
  const pool = route.param ? ctx.pools[route.param] : [];
  return encodeURIComponent(pool.length ? pool[Math.floor(ctx.rng() * pool.length)] : 'missing-id');
}

/** A valid JSON body with one field made hostile (or a hostile key added). */
function mutated(route: RouteSpec, ctx: HostileContext): fc.Arbitrary<{ kind: string; text: string }> {
  const valid = (route.valid?.(ctx.n) ?? {}) as Record<string, unknown>;
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.record({ key: keys.length ? fc.constantFrom(...keys) : hostileString, value: hostileJson }).map(({ key, value }) => ({ kind: 'field', text: JSON.stringify({ ...valid, [key]: value }) })),
    fc.record({ key: fc.constantFrom('__proto__', 'constructor', 'prototype'), value: hostileJson }).map(({ key, value }) => ({ kind: 'proto-key', text: withRawField(valid, key, JSON.stringify(value ?? null)) })),
    fc.constantFrom(...(keys.length ? keys : ['x'])).map((key) => ({ kind: 'NaN', text: withRawField(valid, key, 'NaN') })),
    fc.record({ depth: fc.integer({ min: 10, max: 800 }), objects: fc.boolean() }).map(({ depth, objects }) => ({ kind: `nest-${depth}`, text: withRawField(valid, keys.includes('properties') ? 'properties' : keys.includes('value') ? 'value' : keys[0] ?? 'x', nestedText(depth, objects)) })),
    fc.record({ depth: fc.integer({ min: 3000, max: 20_000 }), objects: fc.boolean() }).map(({ depth, objects }) => ({ kind: `deep-nest-${depth}`, text: withRawField(valid, keys.includes('properties') ? 'properties' : keys.includes('value') ? 'value' : keys[0] ?? 'x', nestedText(depth, objects)) })),
  );
}

/** Whole hostile JSON texts: any value, truncated, duplicate keys, a 10 MB string. */
const hostileBodyText = fc.oneof(
  hostileJson.map((v) => ({ kind: 'any-json', text: JSON.stringify(v) ?? 'null' })),
  fc.constantFrom(
    { kind: 'truncated', text: '{"name": "x", "latitude": 1' },
    { kind: 'duplicate-keys', text: '{"name":"a","name":{"__proto__":{"x":1}}}' },
    { kind: 'not-json', text: 'name=x&latitude=1' },
    { kind: 'bom', text: '\ufeff{"name":"x"}' },
    { kind: 'empty', text: '' },
  ),
  fc.constant(null).map(() => ({ kind: '10MB-string', text: JSON.stringify({ name: tenMegabytes() }) })),
);

function jsonCase(route: RouteSpec, ctx: HostileContext): fc.Arbitrary<Omit<HostileCase, 'route'>> {
  const path = pathOf(route, validId(route, ctx));
  const q = route.query ? `?${new URLSearchParams(route.query)}` : '';
  const send = (kind: string, text: string, headers: Record<string, string> = JSON_TYPE) => ({ kind, req: { method: route.method, path: path + q, headers, body: text } });
  const valid = JSON.stringify(route.valid?.(ctx.n) ?? {});
  const cases: fc.Arbitrary<Omit<HostileCase, 'route'>>[] = [
    mutated(route, ctx).map((m) => send(`mutated:${m.kind}`, m.text)),
    hostileBodyText.map((b) => send(`body:${b.kind}`, b.text)),
    hostileContentType.map((type) => send(`content-type:${type.slice(0, 40)}`, valid, { 'content-type': type })),
    fc.constantFrom('gzip-bomb', 'gzip-garbage', 'deflate', 'br', 'identity, gzip', 'x-unknown').map((enc) =>
      enc === 'gzip-bomb'
        ? { kind: 'encoding:gzip-bomb', req: { method: route.method, path, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipBomb() } }
        : send(`encoding:${enc}`, valid, { ...JSON_TYPE, 'content-encoding': enc === 'gzip-garbage' ? 'gzip' : enc }),
    ),
  ];
  if (route.path === '/api/settings' && route.method === 'PATCH') {
    cases.push(
      fc.constantFrom({ snapshotCron: 'x x x x x' }, { compactionCron: '99 99 99 99 99' }).map((body) => ({ ...send('invalid-cron', JSON.stringify(body)), mustRefuse: true })),
      hostileNumber.map((v) => send('rotationSpeed', JSON.stringify({ rotationSpeed: v }))),
    );
  }
  return fc.oneof(...cases);
}

function importCase(route: RouteSpec, ctx: HostileContext): fc.Arbitrary<Omit<HostileCase, 'route'>> {
  const path = `${pathOf(route, validId(route, ctx))}?fileName=f&duplicateHandling=allow`;
  const send = (kind: string, body: Buffer | string, type = 'text/csv', extra: Partial<HostileCase> = {}, headers: Record<string, string> = {}) => ({
    kind: `import:${kind}`,
    req: { method: 'POST', path, headers: { 'content-type': type, ...headers }, body },
    ...extra,
  });
  return fc.oneof(
    fc.integer({ min: 1, max: 300 }).map((rows) => send('valid-csv', csv(rows, ctx.n * 1000))),
    fc.array(hostileString, { minLength: 1, maxLength: 6 }).map((cells) => send('hostile-cells', `name,lat,lng,${cells.map((c, i) => `c${i}`).join(',')}\n${cells.map((c) => JSON.stringify(String(c))).join(',')}\n`)),
    fc.array(hostileJson, { maxLength: 5 }).map((items) => send('hostile-json', JSON.stringify(items), 'application/json')),
    fc.constantFrom('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,1]},"properties":{"name":"x"}}]}').map((t) => send('geojson-NaN', t, 'application/geo+json')),
    fc.constant(null).map(() => send('NaN-json', '[{"name":"x","latitude":NaN,"longitude":1}]', 'application/json')),
    fc.integer({ min: 3000, max: 20_000 }).map((d) => send(`deep-${d}`, `[{"name":"x","latitude":1,"longitude":1,"properties":${nestedText(d, true)}}]`, 'application/json')),
    fc.constant(null).map(() => send('10MB-record', `name,lat,lng\n"${tenMegabytes()}",1,1\n`, 'text/csv')),
    fc.constant(null).map(() => send('not-utf8', Buffer.concat([Buffer.from('name,lat,lng\nZ'), Buffer.from([0xfc]), Buffer.from('rich,47.37,8.54\n')]), 'text/csv', { mustRefuse: true })),
    fc.constant(null).map(() => send('gzip-bomb', gzipBomb(), 'text/csv', {}, { 'content-encoding': 'gzip' })),
    fc.uint8Array({ maxLength: 2000 }).map((bytes) => send('random-bytes', Buffer.from(bytes), 'application/octet-stream')),
    hostileContentType.map((type) => send(`content-type:${type.slice(0, 40)}`, csv(3, ctx.n), type)),
    fc.constant(null).map(() => send('multipart-garbage', '--x\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\nname,lat\n', 'multipart/form-data; boundary=x')),
  );
}

function uploadCase(route: RouteSpec, ctx: HostileContext): fc.Arbitrary<Omit<HostileCase, 'route'>> {
  const send = (kind: string, body: Buffer | string, extra: Partial<HostileCase> = {}, headers: Record<string, string> = {}) => ({
    kind: `upload:${kind}`,
    req: { method: 'POST', path: route.path, headers: { 'content-type': 'application/octet-stream', ...headers }, body },
    ...extra,
  });
  const file = ctx.backupFile;
  // a native backup whose gzip payload expands far past what it declares: once it ended the process (issue #13)
  const crashers = [fc.constant(null).map(() => send('gzip-bomb-backup', gzipBombBackup(file)))];
  return fc.oneof(
    fc.integer({ min: 0, max: file.length - 1 }).map((at) => send(`truncated-at-${at}`, file.subarray(0, at))),
    fc.integer({ min: 1, max: 16 }).map((bits) => send(`${bits}-bits-flipped`, flipBits(file, bits, ctx.rng))),
    fc.integer({ min: 1, max: 4 }).map((bits) => send(`${bits}-payload-bits-flipped`, flipPayloadBits(file, bits, ctx.rng))),
    fc.uint8Array({ maxLength: 4000 }).map((bytes) => send('random-bytes', Buffer.from(bytes))),
    fc.constant(null).map(() => send('10MB-garbage', Buffer.alloc(10 * 1024 * 1024, 0x7b))),
    fc.constant(null).map(() => send('valid', file)),
    hostileString.map((p) => send('hostile-passphrase', file, {}, { 'x-backup-passphrase': p.replace(/[^\x20-\x7e]/g, '?').slice(0, 8000) })),
    hostileJson.map((v) => send('globe-project-json', JSON.stringify({ version: '1', datasets: [v], locations: [v] }), {}, { 'content-type': 'application/json' })),
    fc.integer({ min: 3000, max: 20_000 }).map((d) =>
      send(`globe-project-deep-${d}`, `{"locations":[{"id":"a","name":"x","latitude":1,"longitude":1,"properties":${nestedText(d, true)}}]}`, {}, { 'content-type': 'application/json' }),
    ),
    fc.constant(null).map(() => send('gzip-bomb-encoding', gzipBomb(), {}, { 'content-encoding': 'gzip' })),
    ...crashers,
  );
}

/** Requests that are wrong before their body: hostile ids, queries, headers, methods; and paths outside the API. */
function envelopeCase(route: RouteSpec, ctx: HostileContext): fc.Arbitrary<Omit<HostileCase, 'route'>> {
  const path = pathOf(route, validId(route, ctx));
  const body = route.body === 'json' ? JSON.stringify(route.valid?.(ctx.n) ?? {}) : undefined;
  const req = (kind: string, r: Partial<RawRequest>) => ({ kind, req: { method: route.method, path, headers: body ? JSON_TYPE : {}, body, ...r } });
  return fc.oneof(
    ...(route.param ? [hostileId.map((id) => req('id', { path: pathOf(route, id) }))] : []),
    hostileQuery.map((q) => req('query', { path: `${path}?${q}` })),
    fc.constantFrom(...METHODS.filter((m) => m !== route.method)).map((method) => req(`method:${method}`, { method })),
    fc.record({ header: fc.constantFrom('x-actor', 'x-request-id', 'x-source', 'x-reason', 'x-backup-passphrase', 'x-file-name', 'accept', 'origin', 'host'), value: hostileString }).map(({ header, value }) =>
      req(`header:${header}`, { headers: { ...(body ? JSON_TYPE : {}), [header]: value.replace(/[^\x20-\x7e]/g, '?').slice(0, 12_000) } }),
    ),
    fc.constantFrom('/', '/api', '/api/', '/api/nope', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/index.html/..%2f..%2f..%2fpackage.json', '/socket.io/?EIO=4&transport=polling&sid=nope', '/socket.io/?EIO=999&transport=polling', '/socket.io/?EIO=4&transport=websocket').map((p) =>
      req('path', { path: p, method: p.startsWith('/socket.io') ? 'POST' : 'GET', body: p.startsWith('/socket.io') ? '4garbage' : undefined }),
    ),
  );
}

/** The n-th request of a run: routes in turn (every route as often as any), a category and its values drawn by fast-check from `seed + n`. */
export function hostileCase(n: number, seed: number, ctx: HostileContext): HostileCase {
  const route = ROUTES[n % ROUTES.length];
  const bodyCase = route.body === 'json' ? jsonCase(route, ctx) : route.body === 'import' ? importCase(route, ctx) : route.body === 'upload' ? uploadCase(route, ctx) : null;
  const arb = bodyCase ? fc.oneof({ arbitrary: bodyCase, weight: 3 }, { arbitrary: envelopeCase(route, ctx), weight: 1 }) : envelopeCase(route, ctx);
  const [drawn] = fc.sample(arb, { seed: seed + n, numRuns: 1 });
  return { ...drawn, route };
}
