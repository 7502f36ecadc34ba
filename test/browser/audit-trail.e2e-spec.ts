import { BrowserSession, describeInBrowser, openSession } from './support/browser';
import { citiesCsv, seedDataset } from './support/fixtures';
import { UiServer, startUiServer } from './support/ui-server';
import { waitForJob } from '../support/app-harness';

/**
 * The audit trail as a user reads it: each change's fields before and after (settings keys by their
 * names on screen), a click on an event moves the time-travel slider to just after it, and backups
 * stand in the trail at their time.
 */
describeInBrowser('the audit trail in a real browser', () => {
  let server: UiServer;
  let s: BrowserSession;

  beforeAll(async () => {
    server = await startUiServer();
    const { id } = await seedDataset(server.api, 'Cities', citiesCsv(30));
    const [city] = (await server.api.get('/api/locations').query({ datasetId: id, q: 'City 7', limit: 1 }).expect(200)).body.items;
    await server.api.patch(`/api/locations/${city.id}`).send({ name: 'Seven Hills', quantity: 700 }).expect(200);
    await server.api.patch('/api/settings').send({ showQuantityVisualization: false }).expect(200);
    const backup = await server.api.post('/api/backups').send({}).expect(202);
    await waitForJob(server.api, backup.body.jobId);
    await server.api.post('/api/datasets').send({ name: 'After the backup' }).expect(201);
    s = await openSession('audit-trail', server.url);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it('shows a change before and after, with human names for settings', async () => {
    const { page } = s;
    await page.goto('/audit');
    const edit = page.getByTestId('audit-group').filter({ hasText: 'Location changed in “Cities”' });
    await edit.getByText('What changed').click();
    const rows = await edit.getByRole('table', { name: 'Fields changed' }).locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
      ['Name', 'City 7', 'Seven Hills'],
      ['Quantity', '7', '700'],
    ]);
    const settings = page.getByTestId('audit-group').filter({ hasText: 'Settings changed' });
    await settings.getByText('What changed').click();
    expect((await settings.getByRole('table', { name: 'Fields changed' }).locator('tbody tr').innerText()).split('\t').map((c) => c.trim())).toEqual(['Show quantities', 'true', 'false']);
    await s.shot('audit-fields-before-after');
  });

  it('lists the backup between the changes before and after it', async () => {
    const { page } = s;
    await page.goto('/audit');
    const entries = page.locator('.audit-list > li');
    await page.getByTestId('audit-backup').waitFor();
    const texts = await entries.allInnerTexts();
    const at = (re: RegExp) => texts.findIndex((t) => re.test(t));
    expect(at(/^backup\s*Backup of 30 locations/i)).toBeGreaterThan(at(/Dataset “After the backup” created/));
    expect(at(/^backup\s*Backup of 30 locations/i)).toBeLessThan(at(/Settings changed/));
  });

  it('moves the time-travel slider to just after a clicked event', async () => {
    const { page } = s;
    await page.goto('/audit');
    await page.waitForFunction(() => document.querySelector('[data-testid=state-summary]')?.textContent?.startsWith('Now: 2 datasets'));
    await page.getByTestId('audit-group').filter({ hasText: 'Settings changed' }).getByRole('button', { name: /Settings changed/ }).click();
    await page.waitForFunction(() => /^As of .*: 1 datasets, 30 locations/.test(document.querySelector('[data-testid=state-summary]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await s.shot('audit-click-travels');
    expect(s.pageErrors).toEqual([]);
  });
});
