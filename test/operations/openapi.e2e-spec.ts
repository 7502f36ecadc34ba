import { AddressInfo } from 'node:net';
import { createToken, startPublicApp } from '../auth/auth-helpers';
import { routesOf } from '../auth/route-table';
import { launchChromium, describeInBrowser } from '../browser/support/browser';
import { API_ROUTES } from '../support/api-routes';
import { TestApp, startApp, waitForJob } from '../support/app-harness';
import { backupAnswer, backupStartedAnswer } from '../../src/backups/backup.answers';
import { datasetAnswer } from '../../src/globe/datasets/dataset.answers';
import { locationAnswer } from '../../src/globe/locations/location.answers';
import { jobAnswer } from '../../src/jobs/job.answers';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** `METHOD /path` (Express syntax) of every operation the document describes. */
function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).filter((k) => METHODS.includes(k)).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`))
    .sort();
}

/**
 * The OpenAPI proof: the document served at /api/docs-json names every route the router
 * holds and no other, describes inputs from the zod schemas the handlers parse with (validation
 * and its codes unchanged), and the explorer page at /api/docs loads in a real browser under the
 * service's CSP.
 */
describe('OpenAPI document and explorer (e2e, in process)', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await startApp({ SERVE_UI: 'false' });
    const res = await t.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(() => t?.close());

  it('documents every registered route and no route that does not exist', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const documented = documentedRoutes(doc);
    expect(documented.length).toBeGreaterThan(40);
    expect(documented).toEqual(routesOf(t.app));
    expect(documented).toEqual(Object.keys(API_ROUTES).sort());
  });

  it('describes bodies and queries from the zod schemas, and the handlers still validate as before', async () => {
    const ref: string = doc.paths['/api/datasets'].post.requestBody.content['application/json'].schema.$ref;
    const body = doc.components.schemas[ref.split('/').pop()!];
    expect(body.properties.name).toMatchObject({ type: 'string' });
    expect(body.required).toContain('name');
    const restore = doc.components.schemas.RestoreBody;
    expect(restore.properties.strategy.enum).toEqual(expect.arrayContaining(['fail']));
    const params = doc.paths['/api/locations'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(params).toEqual(expect.arrayContaining(['query:limit', 'query:datasetId']));
    expect(doc.components.securitySchemes.token).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths['/api/datasets/{id}/import'].post.requestBody.content)).toEqual(expect.arrayContaining(['text/csv', 'multipart/form-data']));
    expect(doc.paths['/api/backups/upload'].post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'X-Backup-Passphrase' })]));
    expect(doc.paths['/api/restores'].post.responses.default.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(doc.components.schemas.Error.required).toEqual(['code', 'message']);

    const refused = await t.http.post('/api/datasets').send({ name: 42 });
    expect([refused.status, refused.body.code]).toEqual([400, 'DATASET.INVALID_INPUT']);
    const badQuery = await t.http.get('/api/locations?limit=nope');
    expect([badQuery.status, badQuery.body.code]).toEqual([400, 'QUERY.INVALID']);
  });

  it('describes the answers of the main routes, and real answers match those schemas field for field', async () => {
    const answer = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/json'].schema;
    const ref = (name: string) => `#/components/schemas/${name}`;
    expect(answer('/api/datasets', 'get', '200').properties.items.items.$ref).toBe(ref('Dataset'));
    expect(answer('/api/datasets', 'post', '201').$ref).toBe(ref('Dataset'));
    expect(answer('/api/locations', 'get', '200')).toMatchObject({ required: ['items', 'next'], properties: { next: { nullable: true } } });
    expect(answer('/api/locations/{id}', 'get', '200').$ref).toBe(ref('Location'));
    expect(answer('/api/backups', 'post', '202').$ref).toBe(ref('BackupStarted'));
    expect(answer('/api/backups/{id}', 'get', '200').$ref).toBe(ref('Backup'));
    expect(answer('/api/restores/{id}/undo', 'post', '202').$ref).toBe(ref('RestoreStarted'));
    expect(answer('/api/restores', 'get', '200').properties.items.items.$ref).toBe(ref('Restore'));
    expect(answer('/api/jobs/{id}', 'get', '200').$ref).toBe(ref('Job'));
    expect(doc.components.schemas.Backup.required).toEqual(expect.arrayContaining(['id', 'headPosition', 'copies']));
    expect(doc.components.schemas.Restore.properties.undoneBy.nullable).toBe(true);

    // The schemas are strict: a field the server answers and the schema lacks (or the reverse) fails here.
    const dataset = datasetAnswer.parse((await t.http.post('/api/datasets').set('X-Source', 'api').send({ name: 'Answers' }).expect(201)).body);
    datasetAnswer.parse((await t.http.get(`/api/datasets/${dataset.id}`).expect(200)).body);
    const added = await t.http.post(`/api/datasets/${dataset.id}/locations`).set('X-Source', 'api').send({ name: 'Quito', latitude: -0.18, longitude: -78.47, properties: { a: 1 } });
    locationAnswer.parse(added.body);
    (await t.http.get('/api/locations?limit=5').expect(200)).body.items.forEach((l: unknown) => locationAnswer.parse(l));
    const started = backupStartedAnswer.parse((await t.http.post('/api/backups').set('X-Source', 'api').send({}).expect(202)).body);
    await waitForJob(t.http, started.jobId, 120_000);
    expect(jobAnswer.parse((await t.http.get(`/api/jobs/${started.jobId}`).expect(200)).body).state).toBe('completed');
    backupAnswer.parse((await t.http.get(`/api/backups/${started.backupId}`).expect(200)).body);
  });

  describeInBrowser('the explorer page', () => {
    it('loads swagger-ui from the service under its CSP and lists the operations', async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(error.message));
        page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
        page.on('response', (answer) => answer.status() >= 400 && problems.push(`${answer.status()} ${answer.url()}`));
        const port = (t.app.getHttpServer().address() as AddressInfo).port;
        const res = await page.goto(`http://127.0.0.1:${port}/api/docs`);
        expect(res?.status()).toBe(200);
        await page.locator('.opblock').nth(40).waitFor({ timeout: 30_000 });
        expect(await page.locator('.opblock-summary-path', { hasText: '/api/restores/preview' }).count()).toBe(1);
        expect(await page.locator('.btn.authorize').count()).toBe(1);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    });

    it('on a service that requires tokens, the page asks for one, and with a viewer token shows the API', async () => {
      const secured = await startPublicApp();
      const browser = await launchChromium();
      try {
        const viewer = await createToken(secured.http, 'docs reader', 'viewer');
        expect((await secured.http.get('/api/docs-json')).status).toBe(401);
        const page = await browser.newPage();
        const prompts: string[] = [];
        page.on('dialog', (dialog) => {
          prompts.push(dialog.message());
          void dialog.accept(viewer.token);
        });
        const port = (secured.app.getHttpServer().address() as AddressInfo).port;
        expect((await page.goto(`http://127.0.0.1:${port}/api/docs`))?.status()).toBe(200);
        await page.locator('.opblock').nth(40).waitFor({ timeout: 30_000 });
        expect(prompts).toEqual([expect.stringContaining('requires an API token')]);
        expect(await page.evaluate(() => sessionStorage.getItem('globe-vault.token'))).toBe(viewer.token);
      } finally {
        await browser.close();
        await secured.close();
      }
    });
  });
});
