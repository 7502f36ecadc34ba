import { BrowserSession, describeInBrowser, openSession } from './support/browser';
import { citiesCsv, seedDataset } from './support/fixtures';
import { UiServer, startUiServer } from './support/ui-server';
import { waitForJob } from '../support/app-harness';

/**
 * The Backup Browser browses: opening a backup shows what it holds before any restore (datasets
 * with counts, searchable locations, settings, configurations, its globe) and what differs from
 * now, and leads into the Restore Wizard with the choice made.
 */
describeInBrowser('the Backup Browser in a real browser', () => {
  let server: UiServer;
  let s: BrowserSession;
  let datasetId: string;

  beforeAll(async () => {
    server = await startUiServer();
    datasetId = (await seedDataset(server.api, 'Cities', citiesCsv(30))).id;
    await server.api.patch('/api/settings').send({ theme: 'dark' }).expect(200);
    await server.api.put('/api/configurations/europe').send({ kind: 'camera-view', name: 'Europe', value: { lat: 50 } }).expect(200);
    await waitForJob(server.api, (await server.api.post('/api/backups').send({}).expect(202)).body.jobId);
    // After the backup: one city gone, the theme changed.
    const [city] = (await server.api.get('/api/locations').query({ q: 'City 7', limit: 1 }).expect(200)).body.items;
    await server.api.delete(`/api/locations/${city.id}`).expect(204);
    await server.api.patch('/api/settings').send({ theme: 'light' }).expect(200);
    s = await openSession('backup-browser', server.url);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it('opens a backup and shows what it holds and what differs from now, writing nothing', async () => {
    const { page } = s;
    const head = (await server.api.get('/api/audit').query({ limit: 1 })).body.items[0].position;
    await page.goto('/backups/browser');
    await page.getByRole('button', { name: /^Open the backup of / }).click();
    const details = page.getByTestId('backup-details');
    await details.waitFor();
    const row = details.getByTestId('backup-dataset-row');
    await row.waitFor();
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain('Cities 30');
    await page.getByRole('searchbox', { name: 'Search the backup by name' }).fill('City 7');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=backup-location-row]')].map((r) => r.textContent).join('|').startsWith('City 7'));
    await page.waitForFunction(() => !/Comparing/.test(document.querySelector('[data-testid=backup-differs]')?.textContent ?? 'Comparing'), undefined, { timeout: 30_000 });
    expect(await details.innerText()).toMatch(/would change now: .*1 location/);
    expect(await details.getByRole('list', { name: 'Configurations in the backup' }).innerText()).toContain('Europe');
    expect(await details.getByLabel('Settings in the backup').innerText()).toMatch(/Theme\s+dark/);
    await page.waitForSelector('[data-testid=backup-details] [data-testid=globe-point-count][data-points="30"]', { timeout: 30_000 });
    await s.shot('backup-browser-opened');
    expect((await server.api.get('/api/audit').query({ limit: 1 })).body.items[0].position).toBe(head);
    expect(s.pageErrors).toEqual([]);
  });

  it('leads into the Restore Wizard with "restore this dataset" chosen', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Restore Cities from this backup' }).click();
    await page.getByRole('heading', { name: 'Restore Wizard' }).waitFor();
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('datasetId')]).toEqual(['/restore', datasetId]);
    expect(url.searchParams.get('backupId')).toBeTruthy();
  });
});
