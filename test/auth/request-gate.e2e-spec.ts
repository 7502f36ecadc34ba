import { TestApp, startApp } from '../support/app-harness';
import { bearer, startPublicApp } from './auth-helpers';

/** A loopback service without tokens keeps out the web pages its user visits. */
describe('Host, Origin and CSRF rules on loopback', () => {
  let t: TestApp;
  let own: string;
  beforeAll(async () => {
    t = await startApp({ ALLOWED_HOSTS: 'vault.lan', CORS_ORIGINS: 'http://app.example:8080' });
    own = `127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => t?.close());

  it('refuses a foreign Host name (DNS rebinding), for reads too; loopback names and ALLOWED_HOSTS pass', async () => {
    for (const host of ['evil.example', 'evil.example:80', '10.0.0.5', '']) {
      const res = await t.http.get('/api/datasets').set('Host', host);
      expect({ host, status: res.status, code: res.body.code }).toEqual({ host, status: 403, code: 'AUTH.HOST_NOT_ALLOWED' });
    }
    expect((await t.http.get('/').set('Host', 'evil.example')).status).toBe(403);
    for (const host of ['localhost:3000', '127.0.0.1', '127.1.2.3:9', '[::1]:3000', 'VAULT.LAN:3000']) {
      expect({ host, status: (await t.http.get('/api/datasets').set('Host', host)).status }).toEqual({ host, status: 200 });
    }
  });

  it('refuses a state-changing request from a foreign Origin; its own origin and CORS_ORIGINS pass', async () => {
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:1']) {
      const res = await t.http.post('/api/datasets').set('Origin', origin).send({ name: 'From a page' });
      expect({ origin, status: res.status, code: res.body.code }).toEqual({ origin, status: 403, code: 'AUTH.ORIGIN_NOT_ALLOWED' });
    }
    expect((await t.http.delete('/api/datasets/x').set('Origin', 'http://evil.example')).body.code).toBe('AUTH.ORIGIN_NOT_ALLOWED');
    expect((await t.http.post('/api/datasets').set('Origin', `http://${own}`).send({ name: 'Own UI' })).status).toBe(201);
    expect((await t.http.post('/api/datasets').set('Origin', 'http://app.example:8080').send({ name: 'Allowed app' })).status).toBe(201);
    expect((await t.http.get('/api/datasets').set('Origin', 'http://evil.example')).status).toBe(200);
    const names = (await t.http.get('/api/datasets')).body.items.map((d: any) => d.name);
    expect(names).not.toContain('From a page');
  });

  it('refuses form-like state-changing requests without Authorization or a custom header (CSRF)', async () => {
    const forms: Array<[string, string]> = [
      ['text/plain', '{"name":"csrf"}'],
      ['text/plain;charset=UTF-8', '{"name":"csrf"}'],
      ['application/x-www-form-urlencoded', 'name=csrf'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\ncsrf\r\n--x--\r\n'],
    ];
    for (const [type, body] of forms) {
      const res = await t.http.post('/api/datasets').set('Content-Type', type).send(body);
      expect({ type, status: res.status, code: res.body.code }).toEqual({ type, status: 403, code: 'AUTH.CSRF' });
    }
    const backup = await t.http.post('/api/backups').set('Content-Type', 'text/plain').send('{}');
    expect(backup.body.code).toBe('AUTH.CSRF');
    expect((await t.http.get('/api/backups')).body.items).toEqual([]);
    // The same request with a header a page cannot send cross-site without a preflight passes the gate.
    const withHeader = await t.http.post('/api/datasets').set('Content-Type', 'text/plain').set('X-Source', 'api').send('{}');
    expect(withHeader.body.code).not.toBe('AUTH.CSRF');
  });

  it('sends security headers, and CORS headers only to CORS_ORIGINS', async () => {
    const res = await t.http.get('/api/datasets').set('Origin', 'http://app.example:8080');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['access-control-allow-origin']).toBe('http://app.example:8080');
    const foreign = await t.http.get('/api/datasets').set('Origin', 'http://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS is closed by default', () => {
  it('echoes no origin, and a preflight gets no permission', async () => {
    const t = await startApp();
    try {
      const res = await t.http.get('/api/datasets').set('Origin', 'http://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await t.http.options('/api/datasets').set('Origin', 'http://evil.example').set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('on a public HOST', () => {
  it('any Host name is served to a token (unless ALLOWED_HOSTS is set), and foreign origins still may not write', async () => {
    const t = await startPublicApp();
    try {
      const token = bearer('test-admin-token-0123456789abcdef');
      expect((await t.http.get('/api/datasets').set('Host', 'vault.example.org').set(token)).status).toBe(200);
      const res = await t.http.post('/api/datasets').set('Host', 'vault.example.org').set('Origin', 'https://evil.example').set(token).send({ name: 'x' });
      expect(res.body.code).toBe('AUTH.ORIGIN_NOT_ALLOWED');
    } finally {
      await t.close();
    }
  });
});
