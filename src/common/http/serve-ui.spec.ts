import express from 'express';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { serveUi } from './serve-ui';

/** The UI's index.html answers client-side routes, never the service's own paths (probes accept any type). */
describe('serveUi', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gv-ui-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script></script>');
  const app = express();
  serveUi(app, dir);
  app.use((req, res) => res.status(404).json({ code: 'HTTP.NOT_FOUND', path: req.path }));

  it.each(['/', '/data', '/backups/browser', '/restore'])('answers %s with index.html', async (path) => {
    const res = await request(app).get(path).set('Accept', '*/*');
    expect([res.status, res.text]).toEqual([200, '<!doctype html><script></script>']);
  });

  it.each(['/health', '/health/ready', '/metrics', '/api/datasets', '/api', '/socket.io/'])('leaves %s to the service', async (path) => {
    const res = await request(app).get(path).set('Accept', '*/*');
    expect([res.status, res.body.path]).toEqual([404, path]);
  });
});
