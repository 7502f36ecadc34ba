import { BrowserSession, openSession } from './support/browser';
import { describeInBrowser } from './support/browser';
import { citiesCsv } from './support/fixtures';
import { dropFile, eventually, progressSeen, recordProgress } from './support/page-helpers';
import { UiServer, startUiServer } from './support/ui-server';

const IMPORT_INPUT = 'Drop a CSV, JSON or GeoJSON file here';

function geojson(n: number): string {
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [-120 + i, 10 + (i % 40)] },
    properties: { name: `Place ${i}`, kind: i % 2 ? 'lake' : 'peak' },
  }));
  return JSON.stringify({ type: 'FeatureCollection', features });
}

describeInBrowser('Data Manager in a real browser', () => {
  let server: UiServer;
  let s: BrowserSession;

  beforeAll(async () => {
    server = await startUiServer();
    s = await openSession('data-manager', server.url);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  const datasets = async () => (await server.api.get('/api/datasets')).body.items as { id: string; name: string; color: string; visible: boolean; locationCount: number }[];

  it('imports a CSV chosen with the file input and the progress bar runs to done with the row count', async () => {
    const { page } = s;
    const gatewayEvents: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => gatewayEvents.push(String(frame.payload))));
    await page.goto('/data?tab=import');
    await recordProgress(page);
    await page.getByLabel(IMPORT_INPUT).setInputFiles({ name: 'cities.csv', mimeType: 'text/csv', buffer: Buffer.from(citiesCsv(2000)) });
    await page.getByTestId('job-import').and(page.locator('[data-state=completed]')).waitFor({ timeout: 30_000 });
    await s.shot('import-csv-done');

    expect(await page.getByTestId('import-report').innerText()).toContain('Imported 2,000 locations from 2,000 rows');
    expect(await page.getByRole('progressbar', { name: 'Import' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('job-import').innerText()).toContain('Done');
    const seen = await progressSeen(page);
    expect(seen[seen.length - 1]).toBe('completed:100');
    // the progress came live from the Socket.IO gateway (namespace /progress), not from polling
    expect(gatewayEvents.some((f) => /^42\/progress,\["job\.(progress|completed)"/.test(f))).toBe(true);
    expect(await datasets()).toEqual([expect.objectContaining({ name: 'cities', locationCount: 2000 })]);
  });

  it('imports a GeoJSON file dropped onto the drop zone', async () => {
    const { page } = s;
    await page.goto('/data?tab=import');
    await dropFile(page, '[data-testid=drop-zone]', { name: 'places.geojson', type: 'application/geo+json', text: geojson(120) });
    await page.getByTestId('job-import').and(page.locator('[data-state=completed]')).waitFor({ timeout: 30_000 });
    await s.shot('import-dropped-geojson-done');
    expect(await page.getByTestId('import-report').innerText()).toContain('Imported 120 locations');
    expect((await datasets()).map((d) => [d.name, d.locationCount])).toEqual([
      ['cities', 2000],
      ['places', 120],
    ]);
    // Each new dataset takes a colour no other has, and the next file goes to a new dataset again.
    expect(new Set((await datasets()).map((d) => d.color)).size).toBe(2);
    expect(await page.getByLabel('Import into').inputValue()).toBe('');
  });

  it('reports the bad rows of a bad file, writes nothing, and imports the good rows when asked to skip the bad ones', async () => {
    const { page } = s;
    await page.goto('/data?tab=import');
    const bad = ['name,lat,lng', 'Good 1,10,10', 'Too far north,95,10', 'Good 2,20,20', 'No longitude,30,', 'Good 3,30,30'].join('\n');
    await page.getByLabel(IMPORT_INPUT).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const report = page.getByTestId('import-report');
    await page.getByTestId('job-import').and(page.locator('[data-state=failed]')).waitFor({ timeout: 30_000 });
    await s.shot('import-bad-rows-report');
    expect(await report.innerText()).toContain('Nothing was imported: 2 of 5 rows are invalid');
    const rows = await page.getByRole('table', { name: 'Bad rows' }).locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^3\s/);
    expect(rows[1]).toMatch(/^5\s/);
    // The failed import created nothing: the dataset and its rows are one write (POST /api/datasets/import?name=).
    expect((await datasets()).some((d) => d.name === 'bad')).toBe(false);

    await page.getByRole('button', { name: 'Import again, skipping the 2 bad rows' }).click();
    await page.getByTestId('job-import').and(page.locator('[data-state=completed]')).waitFor({ timeout: 30_000 });
    await s.shot('import-bad-rows-skipped');
    expect(await report.innerText()).toContain('Imported 3 locations from 5 rows. 2 bad rows were skipped.');
    expect((await datasets()).find((d) => d.name === 'bad')?.locationCount).toBe(3);
  });

  it('says why skipping bad rows cannot help a file that cannot be parsed, and clears a stale report on the next try', async () => {
    const { page } = s;
    await page.goto('/data?tab=import');
    await page.getByLabel(IMPORT_INPUT).setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('[{"name":"a","lat":1,"lng":2},{"name":') });
    await page.getByTestId('job-import').and(page.locator('[data-state=failed]')).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-hint').innerText()).toContain('Skipping bad rows cannot help');
    expect(await page.getByRole('button', { name: /skipping the/ }).count()).toBe(0);
    expect((await datasets()).some((d) => d.name === 'broken')).toBe(false);
    await page.getByLabel(IMPORT_INPUT).setInputFiles({ name: 'fine.csv', mimeType: 'text/csv', buffer: Buffer.from('name,lat,lng\nFine,1,2\n') });
    await page.getByTestId('job-import').and(page.locator('[data-state=completed]')).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-hint').count()).toBe(0);
    const fine = (await datasets()).find((d) => d.name === 'fine');
    expect(fine).toBeDefined();
    await server.api.delete(`/api/datasets/${fine!.id}`).expect(204);
  });

  it('renames, recolours, hides and deletes a dataset', async () => {
    const { page } = s;
    await page.goto('/data');
    const name = page.getByLabel('Name of places');
    await name.fill('Lakes and peaks');
    await name.press('Enter');
    await page.getByLabel('Colour of Lakes and peaks').waitFor();
    await page.getByLabel('Colour of Lakes and peaks').fill('#00aa55');
    const saved = await eventually(datasets, (all) => all.some((d) => d.name === 'Lakes and peaks' && d.color === '#00aa55'));
    expect(saved.find((d) => d.name === 'Lakes and peaks')?.color).toBe('#00aa55');

    const row = page.getByTestId('dataset-row').filter({ has: page.getByLabel('Name of Lakes and peaks') });
    await row.getByRole('checkbox').uncheck();
    await row.getByText('Hidden').waitFor();
    await s.shot('dataset-renamed-recoloured-hidden');
    await page.reload();
    expect(await page.getByLabel('Name of Lakes and peaks').inputValue()).toBe('Lakes and peaks');
    expect(await page.getByLabel('Colour of Lakes and peaks').inputValue()).toBe('#00aa55');
    expect((await datasets()).find((d) => d.name === 'Lakes and peaks')?.visible).toBe(false);

    await page.getByRole('button', { name: 'Delete Lakes and peaks' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Lakes and peaks”?' });
    expect(await dialog.innerText()).toContain('120 locations');
    await s.shot('dataset-delete-question');
    await dialog.getByRole('button', { name: 'Delete dataset' }).click();
    await page.getByLabel('Name of Lakes and peaks').waitFor({ state: 'detached' });
    expect((await datasets()).map((d) => d.name)).toEqual(['cities', 'bad']);
  });

  it('searches, filters and sorts the location table', async () => {
    const { page } = s;
    await page.goto('/data?tab=locations');
    const count = page.getByTestId('location-count');
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('City 12');
    // City 12, City 120–129, City 1200–1299
    await page.waitForFunction(() => document.querySelector('[data-testid=location-count]')?.textContent === '111 locations shown');
    const withQuantity = [12, ...Array.from({ length: 10 }, (_, i) => 120 + i), ...Array.from({ length: 100 }, (_, i) => 1200 + i)].filter((i) => i % 3 !== 0).length;
    await page.getByLabel('Show').selectOption('with_quantity');
    // filtered by the server, over every location, not only the rows loaded so far
    await page.waitForFunction((n) => document.querySelector('[data-testid=location-count]')?.textContent === `${n} locations shown`, withQuantity);
    await page.getByLabel('Sort by').selectOption('name');
    await page.getByRole('button', { name: /Sort order: ascending/ }).click();
    await page.getByRole('button', { name: /Sort order: descending/ }).waitFor();
    await s.shot('location-table-search-filter-sort');
    const first = await page.getByTestId('location-row').first().locator('td').nth(1).innerText();
    expect(first).toBe('City 1298');
    expect(await count.innerText()).toBe(`${withQuantity} locations shown`);
    // the Globe app keeps sort and filter in the settings
    const settings = (await server.api.get('/api/settings')).body;
    expect(settings).toMatchObject({ filterBy: 'with_quantity', sortBy: 'name', sortOrder: 'desc' });
  });

  it('edits a location in place and deletes several after a confirmation', async () => {
    const { page } = s;
    await page.goto('/data?tab=locations');
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('City 1');
    await page.getByRole('button', { name: 'Edit City 1', exact: true }).click();
    const editor = page.getByRole('form', { name: 'Edit City 1' });
    await editor.getByLabel('Name').fill('City One');
    await editor.getByLabel('Latitude').fill('12.5');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitFor({ state: 'detached' });
    const [edited] = (await server.api.get('/api/locations').query({ q: 'City One' }).expect(200)).body.items;
    expect(edited).toMatchObject({ name: 'City One', latitude: 12.5 });

    await page.getByRole('searchbox', { name: 'Search by name' }).fill('City One');
    await page.getByRole('button', { name: 'Edit City One' }).click();
    // A latitude past 90 is caught before it is sent; nothing changes on the server.
    const latitude = page.getByRole('form', { name: 'Edit City One' }).getByLabel('Latitude');
    await latitude.fill('95');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await latitude.evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow)).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await server.api.get(`/api/locations/${edited.id}`).expect(200)).body.latitude).toBe(12.5);

    await page.getByRole('searchbox', { name: 'Search by name' }).fill('City 2');
    await page.getByRole('checkbox', { name: 'Select City 2', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Select City 20', exact: true }).check();
    await page.getByRole('button', { name: 'Delete 2 selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 locations?' });
    expect(await dialog.innerText()).toMatch(/(City 2, City 20|City 20, City 2)\./);
    await s.shot('locations-delete-several');
    await dialog.getByRole('button', { name: 'Delete 2 locations' }).click();
    await dialog.waitFor({ state: 'detached' });
    const left = (await server.api.get('/api/locations').query({ q: 'City 2', limit: 1000 }).expect(200)).body.items.map((l: { name: string }) => l.name);
    expect(left).not.toContain('City 2');
    expect(left).not.toContain('City 20');
    expect(left).toContain('City 21');
  });

  it('saves a settings change that is still there after a reload', async () => {
    const { page } = s;
    await page.goto('/data?tab=settings');
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByLabel('Globe style').selectOption('night');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.reload();
    await page.getByLabel('Theme').waitFor();
    expect(await page.getByLabel('Theme').inputValue()).toBe('dark');
    expect(await page.getByLabel('Globe style').inputValue()).toBe('night');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await s.shot('settings-dark-after-reload');
    expect((await server.api.get('/api/settings')).body).toMatchObject({ theme: 'dark', globeStyle: 'night' });
    expect(s.pageErrors).toEqual([]);
  });
});
