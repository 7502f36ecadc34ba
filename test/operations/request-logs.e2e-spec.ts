import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildServer } from '../support/child-server';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  context?: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
  ms?: number;
}

/** The child's stdout lines parsed as JSON; a line that is not JSON fails the spec (structured logs only). */
function logLines(server: ChildServer): LogLine[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`a log line is not JSON: ${line}`);
      }
    });
}

async function lineFor(server: ChildServer, requestId: string): Promise<LogLine> {
  for (let i = 0; i < 200; i++) {
    const line = logLines(server).find((l) => l.req?.id === requestId);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no request log line for ${requestId}:\n${server.output()}`);
}

/**
 * The logging proof, on the built server in its own process (stdout a pipe, so JSON): a
 * request that appends an event is logged as one JSON line carrying its request id, the response
 * says that id, and the event's correlation id is that very id — the client's X-Request-Id, or one
 * made for it. Refusals logged by src/auth go through the same logger, with the id.
 */
describe('structured request logs carry the id the events correlate by (e2e, child server)', () => {
  let server: ChildServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gv-logs-'));
    server = await ChildServer.start({ dataDir, env: { LOG_LEVEL: 'log', SERVE_UI: 'false' } });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const eventsCorrelatedBy = async (id: string) => {
    const audit = await server.http.get('/api/audit?limit=50&order=desc');
    expect(audit.status).toBe(200);
    return (audit.body.items as { type: string; metadata: { correlationId: string } }[]).filter((e) => e.metadata.correlationId === id);
  };

  it("honours the client's X-Request-Id: response header, log line and event all carry it", async () => {
    const id = `ops-log-${process.pid}-${Date.now()}`;
    const res = await server.http.post('/api/datasets').set('X-Request-Id', id).send({ name: 'Logged' });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe(id);

    const line = await lineFor(server, id);
    expect(line).toMatchObject({ level: 30, requestId: id, req: { id, method: 'POST', url: '/api/datasets' }, res: { statusCode: 201 }, msg: 'POST /api/datasets 201' });
    expect(typeof line.ms).toBe('number');
    expect((await eventsCorrelatedBy(id)).map((e) => e.type)).toEqual(['DatasetCreated']);
  });

  it('makes an id when the client sends none, and the event carries that one', async () => {
    const res = await server.http.post('/api/datasets').send({ name: 'Logged without an id' });
    expect(res.status).toBe(201);
    const id: string = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await lineFor(server, id)).res?.statusCode).toBe(201);
    expect((await eventsCorrelatedBy(id)).map((e) => e.type)).toEqual(['DatasetCreated']);
  });

  it("the access guard's refusals are logged through pino, with the request's id and never the token", async () => {
    const id = `ops-refused-${Date.now()}`;
    const res = await server.http.get('/api/datasets').set('X-Request-Id', id).set('Authorization', 'Bearer gv_not-a-real-token-at-all');
    expect([res.status, res.body.code, res.headers['x-request-id']]).toEqual([401, 'AUTH.UNAUTHENTICATED', id]);
    await lineFor(server, id);
    const refusal = logLines(server).find((l) => l.requestId === id && l.context === 'Access');
    expect(refusal).toMatchObject({ level: 40, msg: expect.stringMatching(/^refused GET \/api\/datasets: AUTH\.UNAUTHENTICATED \(token unknown, /) });
    expect(server.output()).not.toContain('gv_not-a-real-token-at-all');
  });

  it('LOG_FORMAT=pretty (what `auto` picks on a terminal) writes readable lines instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gv-logs-pretty-'));
    const pretty = await ChildServer.start({ dataDir: dir, env: { LOG_LEVEL: 'log', SERVE_UI: 'false', LOG_FORMAT: 'pretty' } });
    try {
      const id = `ops-pretty-${Date.now()}`;
      expect((await pretty.http.post('/api/datasets').set('X-Request-Id', id).send({ name: 'Pretty' })).status).toBe(201);
      for (let i = 0; i < 200 && !pretty.output().includes(id); i++) await new Promise((r) => setTimeout(r, 25));
      const line = pretty.output().split('\n').find((l) => l.includes('POST /api/datasets 201'));
      expect(line).toBeDefined();
      expect(() => JSON.parse(line!)).toThrow();
      expect(pretty.output()).toContain(id);
    } finally {
      await pretty.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
