import { request } from 'node:http';
import { io, Socket } from 'socket.io-client';
import { TestApp, startApp, waitForJob } from '../support/app-harness';
import { ADMIN_TOKEN, bearer, createToken, startPublicApp } from './auth-helpers';

const urlOf = (t: TestApp) => `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;

/** Connects to /progress; resolves with the socket, or with the `connect_error` the server answered. */
function connect(url: string, options: { auth?: Record<string, unknown>; headers?: Record<string, string>; transport?: 'websocket' | 'polling' } = {}) {
  const socket: Socket = io(`${url}/progress`, {
    transports: [options.transport ?? 'websocket'],
    forceNew: true,
    reconnection: false,
    auth: options.auth,
    extraHeaders: options.headers,
  });
  return new Promise<{ socket: Socket; error?: Error & { data?: { code: string } } }>((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ socket, error });
    });
  });
}

describe('the Socket.IO handshake on a service that requires tokens', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startPublicApp()));
  afterAll(() => t?.close());

  it('refuses no token and a wrong one with AUTH.UNAUTHENTICATED', async () => {
    for (const auth of [undefined, { token: 'gv_wrong' }, { token: 42 }]) {
      const { socket, error } = await connect(urlOf(t), { auth });
      expect({ auth, connected: socket.connected, code: error?.data?.code }).toEqual({ auth, connected: false, code: 'AUTH.UNAUTHENTICATED' });
    }
    const header = await connect(urlOf(t), { headers: bearer('gv_wrong') });
    expect(header.error?.data?.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('admits a valid token (auth.token or the Authorization header) and streams progress to it', async () => {
    const { token } = await createToken(t.http, 'socket viewer', 'viewer');
    const byHeader = await connect(urlOf(t), { headers: bearer(token) });
    expect(byHeader.error).toBeUndefined();
    byHeader.socket.close();

    const { socket, error } = await connect(urlOf(t), { auth: { token } });
    expect(error).toBeUndefined();
    try {
      const events: string[] = [];
      socket.onAny((event: string) => events.push(event));
      expect(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'snapshot' })).toEqual({ ok: true });
      const started = await t.http.post('/api/snapshots').set(bearer(ADMIN_TOKEN));
      expect(started.status).toBe(202);
      await waitForJob(authed(t), started.body.jobId);
      for (let i = 0; i < 100 && !events.includes('job.completed'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(events).toContain('job.completed');
    } finally {
      socket.close();
    }
  });
});

/** A supertest-like client whose GETs carry the admin token (waitForJob polls GET /api/jobs/:id). */
function authed(t: TestApp): any {
  return { get: (path: string) => t.http.get(path).set(bearer(ADMIN_TOKEN)) };
}

describe('the Socket.IO server on loopback', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApp({ CORS_ORIGINS: 'http://app.example:8080' })));
  afterAll(() => t?.close());

  it('admits a client without a token, but holds a presented token to its word', async () => {
    const local = await connect(urlOf(t));
    expect(local.error).toBeUndefined();
    local.socket.close();
    expect((await connect(urlOf(t), { auth: { token: 'gv_wrong' } })).error?.data?.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('refuses a foreign Origin or Host, on both transports', async () => {
    const cases = [
      { transport: 'websocket', headers: { origin: 'http://evil.example' } },
      { transport: 'websocket', headers: { host: 'evil.example' } },
      { transport: 'polling', headers: { origin: 'http://evil.example' } },
    ] as const;
    for (const { transport, headers } of cases) {
      const { socket, error } = await connect(urlOf(t), { headers, transport });
      expect({ transport, headers, connected: socket.connected, refused: error !== undefined }).toEqual({ transport, headers, connected: false, refused: true });
    }
    // The polling client (an XMLHttpRequest) cannot set Host; node:http can.
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const status = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(403);
    const allowed = await connect(urlOf(t), { headers: { origin: 'http://app.example:8080' } });
    expect(allowed.error).toBeUndefined();
    allowed.socket.close();
  });

  it('does not echo a foreign origin in CORS headers; answers CORS_ORIGINS', async () => {
    const poll = (origin: string) => fetch(`${urlOf(t)}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const foreign = await poll('http://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.status).toBe(403);
    const listed = await poll('http://app.example:8080');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://app.example:8080');
  });
});
