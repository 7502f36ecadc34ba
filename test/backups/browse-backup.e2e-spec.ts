import { Http, TestApp, startApp } from '../support/app-harness';
import { backupNow } from './backup-helpers';

/**
 * Browsing a backup before any restore: its datasets, locations, settings and configurations are
 * read from the backup (`?backupId=`), whatever the live state has become since; nothing is written.
 */
describe('browse a backup (e2e)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
  });
  afterAll(() => t?.close());

  it('reads the settings and configurations a backup holds, not the live ones', async () => {
    await http.patch('/api/settings').send({ theme: 'dark' }).expect(200);
    await http.put('/api/configurations/view-1').send({ kind: 'camera-view', name: 'Europe', value: { lat: 50 } }).expect(200);
    const { backupId } = await backupNow(http);
    await http.patch('/api/settings').send({ theme: 'light' }).expect(200);
    await http.delete('/api/configurations/view-1').expect(204);
    const head = (await http.get('/api/audit').query({ limit: 1 }).expect(200)).body.items[0].position;

    expect((await http.get('/api/settings').query({ backupId }).expect(200)).body.theme).toBe('dark');
    expect((await http.get('/api/settings').expect(200)).body.theme).toBe('light');
    expect((await http.get('/api/configurations').query({ backupId }).expect(200)).body.items.map((c: { name: string }) => c.name)).toEqual(['Europe']);
    expect((await http.get('/api/configurations').expect(200)).body.items).toEqual([]);
    expect((await http.get('/api/audit').query({ limit: 1 }).expect(200)).body.items[0].position).toBe(head);
  });

  it('previews restoring one backup twice at once (the Backup Browser and the wizard): both answer', async () => {
    const { backupId } = await backupNow(http);
    await http.patch('/api/settings').send({ theme: 'system' }).expect(200);
    const previews = await Promise.all([0, 1, 2].map(() => http.post('/api/restores/preview').send({ target: { backupId } })));
    expect(previews.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(previews.map((p) => p.body.counts.settings.changed)).toEqual([1, 1, 1]);
  });

  it('answers 404 for an unknown backup and 400 for at and backupId together', async () => {
    expect((await http.get('/api/settings').query({ backupId: 'nope' })).status).toBe(404);
    expect((await http.get('/api/configurations').query({ backupId: 'nope' })).status).toBe(404);
    const both = await http.get('/api/settings').query({ backupId: 'x', at: new Date().toISOString() });
    expect({ status: both.status, code: both.body.code }).toEqual({ status: 400, code: 'QUERY.INVALID' });
  });
});
