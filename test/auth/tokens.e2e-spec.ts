import { Http, TestApp, sleep, startApp } from '../support/app-harness';
import { ADMIN_TOKEN, bearer, createToken, startPublicApp } from './auth-helpers';

describe('API tokens', () => {
  let t: TestApp;
  let http: Http;
  beforeAll(async () => {
    t = await startPublicApp();
    http = t.http;
  });
  afterAll(() => t?.close());
  const admin = () => bearer(ADMIN_TOKEN);

  it('are created once (201 with the token), listed without secrets, and work for their role', async () => {
    const res = await http.post('/api/tokens').set(admin()).send({ name: 'ci reader', role: 'viewer' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'ci reader',
      role: 'viewer',
      expiresAt: null,
      createdAt: expect.any(String),
      createdBy: 'token:ADMIN_TOKEN',
      revokedAt: null,
      token: expect.stringMatching(/^gv_[A-Za-z0-9_-]{43}$/),
    });
    const listed = await http.get('/api/tokens').set(admin());
    const item = listed.body.items.find((x: any) => x.id === res.body.id);
    const { token, ...withoutSecret } = res.body;
    expect(item).toEqual(withoutSecret);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await http.get('/api/datasets').set(bearer(token))).status).toBe(200);
  });

  it('are stored only as HMACs: the database never holds a token', async () => {
    const { token } = await createToken(http, 'stored check', 'editor');
    const { readFileSync, readdirSync } = await import('node:fs');
    const files = readdirSync(t.dataDir).filter((f) => f.startsWith('read-models.sqlite'));
    for (const f of files) expect(readFileSync(`${t.dataDir}/${f}`).includes(Buffer.from(token.slice(3)))).toBe(false);
    expect(files.length).toBeGreaterThan(0);
  });

  it('refuse a bad request, a duplicate name, a past expiry and the reserved ADMIN_TOKEN name', async () => {
    const post = (body: unknown) => http.post('/api/tokens').set(admin()).send(body as object);
    expect((await post({ name: 'x', role: 'root' })).body.code).toBe('AUTH.INVALID_TOKEN_REQUEST');
    expect((await post({ name: '', role: 'viewer' })).body.code).toBe('AUTH.INVALID_TOKEN_REQUEST');
    expect((await post({ name: 'x', role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' })).body.code).toBe('AUTH.INVALID_TOKEN_REQUEST');
    await createToken(http, 'twice', 'viewer');
    expect((await post({ name: 'twice', role: 'admin' })).status).toBe(409);
    expect((await post({ name: 'ADMIN_TOKEN', role: 'admin' })).body.code).toBe('AUTH.TOKEN_NAME_TAKEN');
  });

  it('are revoked at once, and a revoked one stays listed', async () => {
    const { id, token } = await createToken(http, 'to revoke', 'editor');
    expect((await http.get('/api/datasets').set(bearer(token))).status).toBe(200);
    const revoked = await http.delete(`/api/tokens/${id}`).set(admin());
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id, revokedAt: expect.any(String) });
    expect((await http.get('/api/datasets').set(bearer(token))).body.code).toBe('AUTH.UNAUTHENTICATED');
    expect((await http.delete('/api/tokens/no-such-token').set(admin())).body.code).toBe('AUTH.TOKEN_NOT_FOUND');
    expect((await http.get('/api/tokens').set(admin())).body.items.find((x: any) => x.id === id).revokedAt).toBe(revoked.body.revokedAt);
  });

  it('expire', async () => {
    const { token } = await createToken(http, 'short-lived', 'viewer', new Date(Date.now() + 1500).toISOString());
    expect((await http.get('/api/datasets').set(bearer(token))).status).toBe(200);
    await sleep(1600);
    expect((await http.get('/api/datasets').set(bearer(token))).body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it("record the token's identity as the actor, X-Actor only as a display name beside it", async () => {
    const { token } = await createToken(http, 'Ana laptop', 'editor');
    const created = await http.post('/api/datasets').set(bearer(token)).set('X-Actor', 'Ana').set('X-Source', 'ui').send({ name: 'By Ana' });
    expect(created.status).toBe(201);
    const audit = await http.get('/api/audit').set(admin()).query({ datasetId: created.body.id });
    expect(audit.body.items[0].metadata).toMatchObject({ actor: 'token:Ana laptop', actorName: 'Ana', source: 'ui' });
    const spoof = await http.post('/api/datasets').set(bearer(token)).set('X-Actor', 'token:ADMIN_TOKEN').send({ name: 'Spoof' });
    const byAdmin = await http.get('/api/audit').set(admin()).query({ datasetId: spoof.body.id });
    expect(byAdmin.body.items[0].metadata).toMatchObject({ actor: 'token:Ana laptop', actorName: 'token:ADMIN_TOKEN' });
  });
});

describe('without tokens on loopback', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApp()));
  afterAll(() => t?.close());

  it('the local user acts under the name it gives, which cannot pose as a token', async () => {
    const plain = await t.http.post('/api/datasets').set('X-Actor', 'alice').send({ name: 'Local' });
    const posing = await t.http.post('/api/datasets').set('X-Actor', 'token:ADMIN_TOKEN').send({ name: 'Posing' });
    const actorOf = async (id: string) => (await t.http.get('/api/audit').query({ datasetId: id })).body.items[0].metadata;
    expect(await actorOf(plain.body.id)).toEqual(expect.objectContaining({ actor: 'alice' }));
    expect(await actorOf(plain.body.id)).not.toHaveProperty('actorName');
    expect((await actorOf(posing.body.id)).actor).toBe('local:token:ADMIN_TOKEN');
  });

  it('a presented token is still checked: a wrong one is 401', async () => {
    expect((await t.http.get('/api/datasets').set(bearer('gv_wrong'))).body.code).toBe('AUTH.UNAUTHENTICATED');
  });
});

describe('rate limits', () => {
  it('answer 429 RATE.LIMITED past the token endpoints limit, and past the refused-token limit even for a good token', async () => {
    const t = await startPublicApp({ RATE_LIMIT_TOKENS_PER_MINUTE: '3', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3', RATE_LIMIT_HEAVY_PER_MINUTE: '2' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.http.get('/api/tokens').set(bearer(ADMIN_TOKEN))).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await t.http.get('/api/tokens').set(bearer(ADMIN_TOKEN))).body.code).toBe('RATE.LIMITED');
      expect((await t.http.get('/api/datasets').set(bearer(ADMIN_TOKEN))).status).toBe(200);

      const heavy = [];
      for (let i = 0; i < 3; i++) heavy.push((await t.http.post('/api/snapshots/compact').set(bearer(ADMIN_TOKEN)).send({ nope: 1 })).status);
      expect(heavy[2]).toBe(429);

      for (let i = 0; i < 3; i++) expect((await t.http.get('/api/datasets').set(bearer('gv_guess' + i))).status).toBe(401);
      const blocked = await t.http.get('/api/datasets').set(bearer(ADMIN_TOKEN));
      expect({ status: blocked.status, code: blocked.body.code }).toEqual({ status: 429, code: 'RATE.LIMITED' });
    } finally {
      await t.close();
    }
  });
});
