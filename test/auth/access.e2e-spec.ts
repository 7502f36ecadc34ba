import { Logger } from '@nestjs/common';
import { ROLES, Role } from '../../src/auth/roles';
import { createApp } from '../../src/create-app';
import { Http, TestApp, startApp } from '../support/app-harness';
import { tempDir } from '../support/event-fixtures';
import { ADMIN_TOKEN, bearer, createToken, startPublicApp } from './auth-helpers';
import { ROUTE_TABLE, routesOf } from './route-table';

/**
 * The "Access" proof: every route of the router, without a token, with a wrong one, with
 * each weaker role and with the role it names, on a service that requires tokens.
 */
describe('access control on every route', () => {
  let t: TestApp;
  let http: Http;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startPublicApp({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000' });
    http = t.http;
    for (const role of ROLES) tokens[role] = (await createToken(http, `${role} token`, role)).token;
  });
  afterAll(() => t?.close());

  const send = (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const req = (http as any)[method.toLowerCase()](path).set(headers);
    return body === undefined ? req : req.send(body);
  };

  it('the table names every route the router holds, and no other', () => {
    expect(routesOf(t.app)).toEqual(Object.keys(ROUTE_TABLE).sort());
  });

  const guarded = Object.entries(ROUTE_TABLE).flatMap(([route, c]) => (c.role === 'open' ? [] : [[route, { ...c, role: c.role }] as const]));
  const open = Object.entries(ROUTE_TABLE).filter(([, c]) => c.role === 'open');

  it.each(open)('%s is open: answered without a token, and a wrong token is not even looked at', async (route, c) => {
    const method = route.split(' ')[0];
    for (const headers of [{}, bearer('gv_' + 'x'.repeat(43))]) {
      const res = await send(method, c.path, c.body, headers);
      expect([res.status, res.body?.code]).toEqual([200, undefined]);
    }
  });

  it.each(guarded)('%s: 401 without a token or with a wrong one, 403 for a weaker role, through for its role', async (route, c) => {
    const method = route.split(' ')[0];
    const answers: Record<string, [number, string]> = {};
    const call = async (label: string, headers: Record<string, string>) => {
      const res = await send(method, c.path, c.body, headers);
      answers[label] = [res.status, res.body?.code];
    };
    await call('none', {});
    await call('wrong', bearer('gv_' + 'x'.repeat(43)));
    await call('malformed', { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    for (const weaker of ROLES.slice(0, ROLES.indexOf(c.role))) await call(weaker, bearer(tokens[weaker]));
    await call('right', bearer(tokens[c.role]));

    const expected: Record<string, [number, string]> = {
      none: [401, 'AUTH.UNAUTHENTICATED'],
      wrong: [401, 'AUTH.UNAUTHENTICATED'],
      malformed: [401, 'AUTH.UNAUTHENTICATED'],
      ...Object.fromEntries(ROLES.slice(0, ROLES.indexOf(c.role)).map((weaker) => [weaker, [403, 'AUTH.FORBIDDEN']])),
    };
    expect(Object.fromEntries(Object.entries(answers).filter(([label]) => label !== 'right'))).toEqual(expected);
    const [status, code] = answers.right;
    expect([401, 403, 429]).not.toContain(status);
    expect(['AUTH.UNAUTHENTICATED', 'AUTH.FORBIDDEN', 'RATE.LIMITED']).not.toContain(code);
  });

  it('a stronger role passes where a weaker one is enough', async () => {
    expect((await http.get('/api/datasets').set(bearer(tokens.admin))).status).toBe(200);
    expect((await http.post('/api/datasets').set(bearer(tokens.admin)).send({ name: 'By an admin' })).status).toBe(201);
    expect((await http.get('/api/tokens').set(bearer(ADMIN_TOKEN))).status).toBe(200);
  });

  it('each refusal is logged with method, path and token id, never the token', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await http.get('/api/datasets');
      await http.get('/api/datasets').set(bearer('gv_not-a-real-token'));
      await http.post('/api/backups').set(bearer(tokens.viewer)).send({});
      const lines = warn.mock.calls.map((call) => String(call[0]));
      const viewerId = (await http.get('/api/tokens').set(bearer(ADMIN_TOKEN))).body.items.find((x: any) => x.role === 'viewer').id;
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^refused GET \/api\/datasets: AUTH\.UNAUTHENTICATED \(token none, /),
          expect.stringMatching(/^refused GET \/api\/datasets: AUTH\.UNAUTHENTICATED \(token unknown, /),
          expect.stringContaining(`refused POST /api/backups: AUTH.FORBIDDEN (token ${viewerId}, `),
        ]),
      );
      expect(lines.join('\n')).not.toContain('gv_not-a-real-token');
      expect(lines.join('\n')).not.toContain(tokens.viewer);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('AUTH_REQUIRED on loopback', () => {
  it('requires a token as a public service does', async () => {
    const t = await startApp({ AUTH_REQUIRED: 'true', ADMIN_TOKEN });
    try {
      expect((await t.http.get('/api/datasets')).body.code).toBe('AUTH.UNAUTHENTICATED');
      expect((await t.http.get('/api/datasets').set(bearer(ADMIN_TOKEN))).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses to start when no admin could get in', async () => {
    const dir = tempDir('gv-auth-');
    const saved = { ...process.env };
    Object.assign(process.env, { DATA_DIR: dir.dir, AUTH_REQUIRED: 'true', LOG_LEVEL: 'error' });
    const app = await createApp().finally(() => (process.env = saved));
    try {
      await expect(app.init()).rejects.toThrow(/AUTH_REQUIRED is set.*ADMIN_TOKEN/);
    } finally {
      await app.close();
      dir.cleanup();
    }
  });
});
