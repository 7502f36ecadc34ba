import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Http, TestApp, allAudit, createDataset, startApp } from '../support/app-harness';

/** Bad input answers a 4xx with a stable code, never a 500, and writes nothing. */
describe('bad input (e2e)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
  });
  afterAll(async () => {
    await t?.close();
  });

  const nested = (levels: number) => '['.repeat(levels) + '0' + ']'.repeat(levels);
  const sendJson = (method: 'post' | 'put' | 'patch', url: string, text: string) => http[method](url).set('Content-Type', 'application/json').send(text);
  const eventCount = async () => (await allAudit(http)).length;

  describe('deeply nested JSON', () => {
    it('is refused with 400 REQUEST.TOO_DEEP in a location, a configuration and a settings patch, and nothing is written', async () => {
      const ds = await createDataset(http);
      const before = await eventCount();
      const location = (value: string) => `{"name":"deep","latitude":1,"longitude":2,"properties":{"x":${value}}}`;
      for (const [method, url, body] of [
        ['post', `/api/datasets/${ds.id}/locations`, location(nested(6000))],
        ['put', '/api/configurations/deep', `{"kind":"other","name":"deep","value":${nested(6000)}}`],
        ['patch', '/api/settings', `{"snapshotRetention":${nested(65)}}`],
        // objects count as arrays do
        ['put', '/api/configurations/deep', `{"kind":"other","name":"deep","value":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`],
      ] as const) {
        const res = await sendJson(method, url, body);
        expect({ url, status: res.status, body: res.body }).toEqual({
          url,
          status: 400,
          body: { code: 'REQUEST.TOO_DEEP', message: 'the body nests arrays and objects more than 64 levels deep', details: { maxDepth: 64 } },
        });
      }
      expect(await eventCount()).toBe(before);
      expect((await http.get('/api/configurations/deep')).status).toBe(404);
    });

    it('at the limit is accepted, brackets inside strings do not count', async () => {
      const ds = await createDataset(http);
      // the body itself is 2 levels, the value 62: 64 in all
      const res = await sendJson('post', `/api/datasets/${ds.id}/locations`, `{"name":"[[[[","latitude":1,"longitude":2,"properties":{"x":${nested(62)},"s":"${'['.repeat(100)}"}}`);
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.body.properties.x)).toBe(nested(62));
      const conf = await sendJson('put', '/api/configurations/at-limit', `{"kind":"other","name":"ok","value":${nested(63)}}`);
      expect(conf.status).toBe(200);
    });

    it('in a Save Project upload is refused with 400 BACKUP.FOREIGN_TOO_DEEP, and nothing is stored', async () => {
      const project = `{"locations":[{"id":"a","name":"A","lat":1,"lng":2,"deep":${nested(6000)}}],"columnMapping":{},"uiSettings":{},"metadata":{}}`;
      const res = await http.post('/api/backups/upload').set('Content-Type', 'application/octet-stream').send(Buffer.from(project));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BACKUP.FOREIGN_TOO_DEEP', details: { section: 'locations', index: 0, maxDepth: 64 } });
      expect((await http.get('/api/backups')).body.items).toEqual([]);
      expect(readdirSync(join(t.dataDir, 'tmp')).filter((n) => n.startsWith('upload-'))).toEqual([]);
    });
  });

  describe('cron expressions in the settings', () => {
    it.each([
      ['snapshotCron', 'x x x x x'],
      ['compactionCron', '99 99 99 99 99'],
      ['snapshotCron', '*/0 * * * *'],
    ])('%s %j is refused with 400 SETTINGS.INVALID_INPUT and not stored', async (key, cron) => {
      const before = (await http.get('/api/settings')).body[key];
      const res = await http.patch('/api/settings').send({ [key]: cron });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'SETTINGS.INVALID_INPUT', details: [expect.objectContaining({ path: key })] });
      expect((await http.get('/api/settings')).body[key]).toBe(before);
    });

    it('a valid expression, or "" for off, is stored', async () => {
      const res = await http.patch('/api/settings').send({ snapshotCron: '*/15 9-17 * * mon-fri', compactionCron: '' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ snapshotCron: '*/15 9-17 * * mon-fri', compactionCron: '' });
    });
  });
});
