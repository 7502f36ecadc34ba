import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Http, waitForJob } from '../support/app-harness';
import { expectStatus, importCsv, patch } from '../recovery/recovery-helpers';

/**
 * Shared steps of the backup e2e specs. Every helper asserts the status it expects and fails with
 * the body otherwise, so a broken step says why.
 */

/** supertest parser that keeps a binary body as one Buffer. */
export function binaryParser(res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The exact keys of a backup history row (GET /api/backups). */
export const BACKUP_VIEW_KEYS = [
  'actor',
  'compression',
  'copies',
  'counts',
  'createdAt',
  'encrypted',
  'format',
  'headPosition',
  'id',
  'includesHistory',
  'key',
  'keyId',
  'kind',
  'label',
  'lastDrillAt',
  'lastDrillResult',
  'lastVerifiedAt',
  'lastVerifyResult',
  'originalId',
  'size',
  'stateHash',
  'storage',
];

/** How the service names a stored backup: globe-vault-<yyyymmddThhmmss of createdAt>-<id>.gvbk. */
export const keyOf = (view: { id: string; createdAt: string }) => `globe-vault-${view.createdAt.replace(/[-:.]/g, '').slice(0, 15)}-${view.id}.gvbk`;

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** POST /api/backups, 202 {jobId, backupId}, waits for the job to complete; answers the ids, the job and the history row. */
export async function backupNow(http: Http, body: Record<string, unknown> = {}, actor?: string): Promise<{ jobId: string; backupId: string; job: any; view: any }> {
  const req = http.post('/api/backups');
  if (actor) req.set('X-Actor', actor);
  const res = await req.send(body);
  expectStatus(res, 202, `POST /api/backups ${JSON.stringify(body)}`);
  expect(Object.keys(res.body).sort()).toEqual(['backupId', 'jobId']);
  const job = await waitForJob(http, res.body.jobId, 120_000);
  expect({ state: job.state, error: job.error }).toEqual({ state: 'completed', error: null });
  const view = await http.get(`/api/backups/${res.body.backupId}`);
  expectStatus(view, 200, `GET /api/backups/${res.body.backupId}`);
  return { jobId: res.body.jobId, backupId: res.body.backupId, job, view: view.body };
}

/** GET /api/backups/:id/download as bytes (200 expected). */
export async function download(http: Http, backupId: string): Promise<{ bytes: Buffer; headers: Record<string, string> }> {
  const res = await http.get(`/api/backups/${backupId}/download`).buffer(true).parse(binaryParser as never);
  expectStatus({ status: res.status, body: res.status === 200 ? '<bytes>' : res.body.toString() }, 200, `GET /api/backups/${backupId}/download`);
  return { bytes: res.body as Buffer, headers: res.headers as Record<string, string> };
}

/** POST /api/backups/upload with a raw body (and the passphrase header when given); answers the response as is. */
export function upload(http: Http, bytes: Buffer, passphrase?: string): Promise<request.Response> {
  const req = http.post('/api/backups/upload').set('Content-Type', 'application/octet-stream');
  if (passphrase !== undefined) req.set('X-Backup-Passphrase', passphrase);
  return req.send(bytes);
}

export async function listBackups(http: Http): Promise<any[]> {
  const res = await http.get('/api/backups');
  expectStatus(res, 200, 'GET /api/backups');
  expect(res.body.next).toBeNull();
  return res.body.items;
}

/** Where the payload starts: after the magic line, the manifest line and the checksum line. */
export function payloadOffset(file: Buffer): number {
  const first = file.indexOf(0x0a);
  const second = file.indexOf(0x0a, first + 1);
  return file.indexOf(0x0a, second + 1) + 1;
}

/** The manifest as written in a file's second line. */
export function manifestOf(file: Buffer): any {
  const first = file.indexOf(0x0a);
  const second = file.indexOf(0x0a, first + 1);
  return JSON.parse(file.subarray(first + 1, second).toString('utf8'));
}

/** File names in a folder ([] when the folder does not exist). */
export const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

export const backupsDir = (dataDir: string) => join(dataDir, 'backups');
export const tmpDirOf = (dataDir: string) => join(dataDir, 'tmp');

/** A CSV with named columns and extra ones (string, boolean, number, a quoted comma, an empty cell) that land in `properties`. */
export function csvWithExtras(n: number, prefix = 'City'): string {
  const lines = ['name,lat,lng,quantity,country,capital,founded,notes'];
  for (let i = 0; i < n; i++) {
    const quantity = i % 5 === 0 ? '' : String(i * 3);
    lines.push(`${prefix} ${i},${(i % 170) - 85 + 0.125},${((i * 7) % 350) - 175 + 0.5},${quantity},Country ${i % 7},${i % 2 === 0},${1000 + i},"note, ${i}"`);
  }
  return lines.join('\n') + '\n';
}

export interface Seeded {
  a: any;
  b: any;
}

/**
 * A small but complete Globe state: dataset A imported from a CSV with extra columns (and a column
 * mapping), dataset B with hand-made locations (ids, nested properties, no quantity), an edit, a
 * settings change and two configurations.
 */
export async function seedGlobe(http: Http, aRows = 40): Promise<Seeded> {
  const aRes = await http.post('/api/datasets').send({ name: 'Cities A', description: 'imported', color: '#aa3300', columnMapping: { quantity: 'quantity', label: 'country' } });
  expectStatus(aRes, 201, 'POST /api/datasets A');
  const bRes = await http.post('/api/datasets').send({ name: 'Towns B', visible: false });
  expectStatus(bRes, 201, 'POST /api/datasets B');
  await importCsv(http, aRes.body.id, csvWithExtras(aRows), { fileName: 'cities-a.csv' });
  for (let i = 0; i < 4; i++) {
    const res = await http.post(`/api/datasets/${bRes.body.id}/locations`).send({
      id: `b-${i}`,
      name: `Town B${i} — “quoted” ünïcode`,
      latitude: 10 + i,
      longitude: -20 - i,
      ...(i % 2 ? { quantity: i * 1.5 } : {}),
      properties: { rank: i, tags: ['x', i], nested: { deep: i % 2 === 0 } },
    });
    expectStatus(res, 201, 'POST location in B');
  }
  await patch(http, `/api/locations/b-1`, { name: 'Town B1 renamed', properties: { edited: true } });
  await patch(http, '/api/settings', { theme: 'dark', globeStyle: 'satellite', rotationSpeed: 2 });
  expectStatus(await http.put('/api/configurations/view-1').send({ kind: 'camera-view', name: 'View 1', value: { lat: 10, lng: 20, zoom: 3 } }), 200, 'PUT configuration view-1');
  expectStatus(await http.put('/api/configurations/filter-1').send({ kind: 'filter', name: 'Big ones', value: { min: 100, tags: ['a'] } }), 200, 'PUT configuration filter-1');
  return { a: (await http.get(`/api/datasets/${aRes.body.id}`)).body, b: (await http.get(`/api/datasets/${bRes.body.id}`)).body };
}

/** Every read endpoint's answer, in full: lists, and each item read on its own. */
export async function everyRead(http: Http): Promise<any> {
  const get = async (url: string, query: Record<string, string | number> = {}) => {
    const res = await http.get(url).query(query);
    expectStatus(res, 200, `GET ${url}`);
    return res.body;
  };
  const datasets = (await get('/api/datasets')).items as any[];
  const locations: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await get('/api/locations', { limit: 1000, ...(cursor ? { cursor } : {}) });
    locations.push(...page.items);
    cursor = page.next;
  } while (cursor);
  const configurations = (await get('/api/configurations')).items as any[];
  const perDataset: Record<string, unknown> = {};
  for (const d of datasets) {
    perDataset[d.id] = { dataset: await get(`/api/datasets/${d.id}`), locations: (await get('/api/locations', { datasetId: d.id, limit: 10_000 })).items };
  }
  const perLocation: Record<string, unknown> = {};
  for (const l of locations) perLocation[l.id] = await get(`/api/locations/${encodeURIComponent(l.id)}`);
  const perConfiguration: Record<string, unknown> = {};
  for (const c of configurations) perConfiguration[c.id] = await get(`/api/configurations/${c.id}`);
  const state = await get('/api/state');
  return { datasets, locations, configurations, settings: await get('/api/settings'), perDataset, perLocation, perConfiguration, stateCounts: state.counts };
}

/** Waits for the background job of a backup whose id is known (e.g. from BackupScheduler.runScheduled). */
export async function jobOfBackup(http: Http, backupId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await http.get('/api/jobs').query({ kind: 'backup' });
    expectStatus(res, 200, 'GET /api/jobs?kind=backup');
    const job = res.body.items.find((j: any) => j.params?.backupId === backupId);
    if (job) return waitForJob(http, job.id, timeoutMs);
    if (Date.now() > deadline) throw new Error(`no backup job for ${backupId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
