import { Page } from 'playwright-core';
import { BrowserSession, describeInBrowser, openSession } from './support/browser';
import { citiesCsv, seedDataset } from './support/fixtures';
import { progressSeen, recordProgress } from './support/page-helpers';
import { UiServer, startUiServer } from './support/ui-server';

const CITIES = 1200;
const TOWNS = 300;

/** Moves a timeline slider (keyboard only, as a user would) to the latest stop whose text matches `wanted`. */
async function slideTo(page: Page, wanted: RegExp): Promise<string> {
  const slider = page.getByRole('slider');
  const stop = page.getByTestId('timeline-stop');
  await slider.focus();
  await slider.press('End');
  for (let i = 0; i < 50; i++) {
    const text = await stop.innerText();
    if (wanted.test(text)) return text;
    await slider.press('ArrowLeft');
  }
  throw new Error(`no timeline stop matches ${wanted}`);
}

describeInBrowser('Restore Wizard and Audit Timeline in a real browser', () => {
  let server: UiServer;
  let s: BrowserSession;
  let cities: { id: string };

  beforeAll(async () => {
    server = await startUiServer();
    cities = await seedDataset(server.api, 'Cities', citiesCsv(CITIES), '#e4572e');
    await seedDataset(server.api, 'Towns', citiesCsv(TOWNS, 'Town'), '#2e86de');
    s = await openSession('restore-wizard', server.url);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  const datasetNames = async () => ((await server.api.get('/api/datasets')).body.items as { name: string }[]).map((d) => d.name);

  it('deletes a dataset, restores it with the wizard from a moment before the delete, and undoes the restore', async () => {
    const { page } = s;
    await page.goto('/data');
    await page.getByRole('button', { name: 'Delete Cities' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete dataset' }).click();
    await page.getByLabel('Name of Cities').waitFor({ state: 'detached' });
    expect(await datasetNames()).toEqual(['Towns']);
    await s.shot('cities-deleted');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Restore Wizard' }).click();
    await page.getByRole('heading', { name: 'Restore Wizard' }).waitFor();
    expect(await slideTo(page, /Import of .* into “Towns”/)).not.toContain('deleted');
    await s.shot('wizard-source-before-delete');
    await page.getByRole('button', { name: 'Next: what to restore' }).click();

    await page.getByRole('radio', { name: 'Only what I choose' }).check();
    await page.getByRole('checkbox', { name: /Dataset “Cities”.*deleted since/ }).check();
    await s.shot('wizard-scope-cities');
    await page.getByRole('button', { name: 'Next: preview' }).click();

    const summary = page.getByTestId('preview-summary');
    await summary.waitFor();
    const sentences = await summary.locator('li').allInnerTexts();
    expect(sentences).toEqual(['1 dataset added', '1,200 locations added']);
    expect(await page.getByText('No conflicts').isVisible()).toBe(true);
    await s.shot('wizard-preview');
    await page.getByRole('button', { name: 'Next: see the globe' }).click();

    await page.waitForFunction((n) => document.querySelector('[data-testid=globe-point-count]')?.getAttribute('data-points') === String(n), CITIES + TOWNS, { timeout: 30_000 });
    await s.shot('wizard-globe-preview');
    await page.getByRole('button', { name: 'Next: confirm' }).click();

    const restoreNow = page.getByRole('button', { name: 'Restore now' });
    expect(await restoreNow.isDisabled()).toBe(true);
    await page.getByLabel('Type RESTORE to confirm').fill('restore');
    expect(await restoreNow.isDisabled()).toBe(true);
    await page.getByLabel('Type RESTORE to confirm').fill('RESTORE');
    expect(await restoreNow.isEnabled()).toBe(true);
    await s.shot('wizard-confirm');
    await recordProgress(page);
    await restoreNow.click();

    await page.getByTestId('restore-done').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('restore-done').innerText()).toContain('1 dataset added, 1,200 locations added');
    expect((await progressSeen(page)).pop()).toBe('completed:100');
    await s.shot('wizard-restore-done');
    // back with its own creation time, so first again in the list
    expect(await datasetNames()).toEqual(['Cities', 'Towns']);
    const back = (await server.api.get(`/api/datasets/${cities.id}`)).body;
    expect(back).toMatchObject({ name: 'Cities', locationCount: CITIES });

    // an undo shows what it would change and waits for a confirmation
    await page.getByRole('button', { name: 'Undo this restore' }).click();
    await page.getByTestId('undo-preview').waitFor();
    expect(await page.getByTestId('undo-preview').innerText()).toContain('Undoing it would change this: 1 dataset removed, 1,200 locations removed.');
    expect(await datasetNames()).toEqual(['Cities', 'Towns']);
    await s.shot('wizard-undo-preview');
    // a write after the preview: the undo quotes the preview's token, so it is refused, nothing written, and previewed again
    expect((await server.api.patch('/api/settings').send({ notifications: false })).status).toBe(200);
    await page.getByRole('button', { name: 'Undo now' }).click();
    await page.getByTestId('undo-stale').waitFor();
    expect(await datasetNames()).toEqual(['Cities', 'Towns']);
    await page.getByRole('button', { name: 'Preview again' }).click();
    await page.getByTestId('undo-stale').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo now' }).click();
    await page.getByTestId('undo-done').waitFor({ timeout: 30_000 });
    await s.shot('wizard-undone');
    expect(await datasetNames()).toEqual(['Towns']);
    expect((await server.api.get(`/api/datasets/${cities.id}`)).status).toBe(404);
  });

  it('shows the globe as it was at a moment of the audit timeline, read-only', async () => {
    const { page } = s;
    const headBefore = (await server.api.get('/api/audit').query({ limit: 1 })).body.items[0].position;
    await page.goto('/audit');
    const summary = page.getByTestId('state-summary');
    await page.waitForFunction(() => document.querySelector('[data-testid=state-summary]')?.textContent?.startsWith('Now:'));
    expect(await summary.innerText()).toBe(`Now: 1 datasets, ${TOWNS} locations, 0 configurations`);

    await slideTo(page, /Import of .* into “Towns”/);
    await page.waitForFunction((n) => /^As of .*: 2 datasets, /.test(document.querySelector('[data-testid=state-summary]')?.textContent ?? '') && document.querySelector('[data-testid=globe-point-count]')?.getAttribute('data-points') === String(n), CITIES + TOWNS, { timeout: 30_000 });
    expect(await summary.innerText()).toMatch(new RegExp(`^As of .*: 2 datasets, ${(CITIES + TOWNS).toLocaleString('en-US')} locations, 0 configurations$`));
    await s.shot('audit-time-travel-before-delete');

    await page.getByRole('button', { name: 'Back to now' }).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=globe-point-count]')?.getAttribute('data-points') === String(n), TOWNS, { timeout: 30_000 });
    // time travel writes nothing
    expect((await server.api.get('/api/audit').query({ limit: 1 })).body.items[0].position).toBe(headBefore);

    await page.getByRole('combobox', { name: /^Type/ }).selectOption('DatasetDeleted');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // the user's delete, and the undo's (a restore writes ordinary events, marked as coming from the restore)
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=audit-group]').length === 2);
    const deletes = await page.getByTestId('audit-group').allInnerTexts();
    expect(deletes).toEqual([expect.stringMatching(/^Dataset “Cities” deleted .* you via restore/), expect.stringMatching(/^Dataset “Cities” deleted .* you via ui/)]);
    await page.getByRole('combobox', { name: /^Type/ }).selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const restoreGroups = page.getByTestId('audit-group').filter({ hasText: /^restore/i });
    await restoreGroups.first().waitFor();
    expect(await restoreGroups.allInnerTexts()).toEqual([expect.stringContaining('Undo of a restore by you: 1 dataset removed, 1,200 locations removed'), expect.stringMatching(/^restore\s*Restore by you: 1 dataset added, 1,200 locations added/i)]);
    await s.shot('audit-log-grouped');
    expect(s.pageErrors).toEqual([]);
  });

  it('lists earlier restores by name; one already undone says so and offers Redo, with a preview and a confirmation', async () => {
    const { page } = s;
    await page.goto('/restore');
    const history = page.getByTestId('restore-history');
    await history.waitFor();
    // the restore and its undo from the first test, newest first, named by what they did, no ids or positions
    const rows = history.locator(':scope > li');
    expect(await rows.count()).toBe(2);
    await page.waitForFunction(() => /before dataset “Cities” deleted by you/.test(document.querySelector('[data-testid=restore-history]')?.textContent ?? ''));
    const [undoRow, restoreRow] = await rows.allInnerTexts();
    expect(undoRow).toMatch(/^Undo of the restore of .* \(1 dataset added, 1,200 locations added\) · .* by you · 1 dataset removed, 1,200 locations removed/);
    expect(restoreRow).toMatch(/^Restore to before dataset “Cities” deleted by you, .* · 1 dataset added, 1,200 locations added · undone at /);
    for (const row of [undoRow, restoreRow]) expect(row).not.toMatch(/position|[0-9a-f]{8}-[0-9a-f]{4}/);
    // an undone restore offers no second Undo (the server refuses one too), but a Redo
    expect(await history.getByRole('button', { name: /^Undo the restore of/ }).count()).toBe(0);
    await history.getByRole('button', { name: /^Redo the restore of/ }).click();
    await page.getByTestId('undo-preview').waitFor();
    expect(await page.getByTestId('undo-preview').innerText()).toContain('Redoing it would change this: 1 dataset added, 1,200 locations added.');
    expect(await datasetNames()).toEqual(['Towns']);
    await s.shot('restore-history-redo-preview');
    await page.getByRole('button', { name: 'Redo now' }).click();
    const redone = page.getByRole('progressbar', { name: 'Redo' });
    await page.waitForFunction(() => document.querySelector('[role=progressbar][aria-label=Redo]')?.getAttribute('aria-valuetext')?.startsWith('Done'), undefined, { timeout: 30_000 });
    expect(await redone.getAttribute('aria-valuetext')).toMatch(/^Done/);
    expect(await datasetNames()).toEqual(['Cities', 'Towns']);
    await page.waitForFunction(() => /redone at/.test(document.querySelector('[data-testid=restore-history]')?.textContent ?? ''));
    // the automatic restore points are named by the restore they stand before
    const pointTexts = await page.getByTestId('restore-points').locator(':scope > li').allInnerTexts();
    expect(pointTexts.some((t) => /^Before the restore of .* \(1 dataset added, 1,200 locations added\)/.test(t))).toBe(true);
    expect(pointTexts.join('\n')).not.toMatch(/Before restore [0-9a-f]{8}/);

    await page.getByLabel('Restore point name').fill('Before the spring clean-up');
    await page.getByRole('button', { name: 'Create a restore point' }).click();
    await page.getByTestId('restore-points').getByText(/^Before the spring clean-up/).waitFor();
    await s.shot('restore-history-and-points');
    const points = (await server.api.get('/api/restore-points')).body.items as { name: string; automatic: boolean }[];
    expect(points[0]).toMatchObject({ name: 'Before the spring clean-up', automatic: false });
    expect(s.pageErrors).toEqual([]);
  });

  it('shows a conflict field by field with human names; the per-item choice carries to the confirm summary and the restore', async () => {
    const { page } = s;
    const towns = ((await server.api.get('/api/datasets')).body.items as { id: string; name: string }[]).find((d) => d.name === 'Towns')!;
    const [town] = (await server.api.get('/api/locations').query({ datasetId: towns.id, limit: 2 })).body.items as { id: string; name: string }[];
    const settingsBefore = (await server.api.get('/api/settings')).body;
    // after a restore point: a location renamed and a setting changed
    expect((await server.api.post('/api/restore-points').send({ name: 'Before the renaming' })).status).toBe(201);
    expect((await server.api.patch(`/api/locations/${town.id}`).send({ name: `${town.name} (renamed)` })).status).toBe(200);
    expect((await server.api.patch('/api/settings').send({ rotationSpeed: settingsBefore.rotationSpeed + 1 })).status).toBe(200);

    await page.goto('/restore');
    expect(await slideTo(page, /Restore point “Before the renaming”/)).toContain('renaming');
    await page.getByRole('button', { name: 'Next: what to restore' }).click();
    await page.getByRole('radio', { name: 'Only what I choose' }).check();
    await page.getByRole('checkbox', { name: /Dataset “Towns”/ }).check();
    await page.getByRole('checkbox', { name: 'The settings' }).check();
    await page.getByRole('button', { name: 'Next: preview' }).click();

    const conflicts = page.getByTestId('conflict');
    await conflicts.first().waitFor();
    expect(await conflicts.count()).toBe(2);
    const location = page.getByRole('table', { name: `Location “${town.name}”: fields` });
    expect(await location.locator('tbody tr').allInnerTexts()).toEqual([`Name\t${town.name} (renamed)\t${town.name}`]);
    const setting = page.getByRole('table', { name: 'Setting “Rotation speed”: fields' });
    expect(await setting.locator('tbody tr').allInnerTexts()).toEqual([`Rotation speed\t${settingsBefore.rotationSpeed + 1}\t${settingsBefore.rotationSpeed}`]);
    expect(await page.getByRole('list', { name: 'Conflicts' }).innerText()).not.toMatch(/\{"|updated_at|[0-9a-f]{8}-[0-9a-f]{4}/);
    // keep the renamed location, restore the setting
    await page.getByRole('combobox', { name: `Choice for Location “${town.name}”` }).selectOption('current');
    await conflicts.filter({ hasText: town.name }).getByText('keeps the current version').waitFor();
    await s.shot('wizard-conflicts-field-by-field');
    await page.getByRole('button', { name: 'Next: see the globe' }).click();
    await page.getByRole('button', { name: 'Next: confirm' }).click();
    expect(await page.getByTestId('confirm-kept').innerText()).toBe(`As you chose, these stay as they are now: Location “${town.name}”.`);
    // the location kept is not counted as a change
    expect(await page.getByText(/^You are about to restore/).innerText()).toMatch(/: 1 setting changed\.$/);
    await page.getByRole('textbox', { name: 'Type RESTORE to confirm' }).fill('RESTORE');
    await page.getByRole('button', { name: 'Restore now' }).click();
    await page.getByTestId('restore-done').waitFor({ timeout: 30_000 });
    expect((await server.api.get(`/api/locations/${town.id}`)).body.name).toBe(`${town.name} (renamed)`);
    expect((await server.api.get('/api/settings')).body.rotationSpeed).toBe(settingsBefore.rotationSpeed);
    expect(s.pageErrors).toEqual([]);
  });
});
