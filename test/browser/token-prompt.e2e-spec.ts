import { BrowserSession, describeInBrowser, openSession } from './support/browser';
import { citiesCsv } from './support/fixtures';
import { UiServer, startUiServer } from './support/ui-server';

const ADMIN_TOKEN = 'browser-admin-token-0123456789abcdef';
/** Whether the page shows a dataset's name (the Data Manager lists it in an editable field). */
const shows = (name: string) => [...document.querySelectorAll('input')].some((input) => input.value === name);
const IMPORT_INPUT = 'Drop a CSV, JSON or GeoJSON file here';

describeInBrowser('the UI on a service that requires tokens', () => {
  let server: UiServer;
  let s: BrowserSession;
  let editorToken: string;

  beforeAll(async () => {
    server = await startUiServer({ AUTH_REQUIRED: 'true', ADMIN_TOKEN });
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    editorToken = (await server.api.post('/api/tokens').set(admin).send({ name: 'browser editor', role: 'editor' })).body.token;
    expect((await server.api.post('/api/datasets').set(admin).send({ name: 'Guarded places' })).status).toBe(201);
    s = await openSession('token-prompt', server.url);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it('asks for a token, refuses a wrong one, and with the right one loads the data, imports and streams progress', async () => {
    const { page } = s;
    const cspViolations: string[] = [];
    page.on('console', (message) => message.text().includes('Content Security Policy') && cspViolations.push(message.text()));
    const gatewayEvents: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => gatewayEvents.push(String(frame.payload))));
    await page.goto('/data');
    const dialog = page.getByRole('dialog', { name: 'Sign in with an API token' });
    await dialog.waitFor({ timeout: 15_000 });
    expect(await page.evaluate(shows, 'Guarded places')).toBe(false);
    await s.shot('token-prompt');

    await dialog.getByLabel('API token').fill('gv_not-the-right-one');
    await dialog.getByRole('button', { name: 'Use this token' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'That token was refused' }).waitFor();
    await s.shot('token-refused');

    await dialog.getByLabel('API token').fill(editorToken);
    await dialog.getByRole('button', { name: 'Use this token' }).click();
    await page.waitForFunction(shows, 'Guarded places', { timeout: 15_000 });
    expect(await dialog.count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('globe-vault.token'))).toBe(editorToken);
    await s.shot('token-accepted');

    await page.goto('/data?tab=import');
    await page.getByLabel(IMPORT_INPUT).setInputFiles({ name: 'guarded.csv', mimeType: 'text/csv', buffer: Buffer.from(citiesCsv(500)) });
    await page.getByTestId('job-import').and(page.locator('[data-state=completed]')).waitFor({ timeout: 30_000 });
    expect(gatewayEvents.some((f) => /^42\/progress,\["job\.(progress|completed)"/.test(f))).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(s.pageErrors).toEqual([]);

    // The globe (three.js, WebGL) runs under the security headers' CSP too.
    await page.goto('/');
    await page.locator('canvas').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    expect(cspViolations).toEqual([]);

    const audit = await server.api.get('/api/audit').set({ Authorization: `Bearer ${ADMIN_TOKEN}` }).query({ type: 'DatasetCreated' });
    expect(audit.body.items.map((e: any) => e.metadata.actor)).toContain('token:browser editor');
  });
});
