import { readFileSync } from 'node:fs';
import { BrowserSession, describeInBrowser, openSession } from './support/browser';
import { citiesCsv, seedDataset } from './support/fixtures';
import { dropFile } from './support/page-helpers';
import { UiServer, startUiServer } from './support/ui-server';

const CITIES = 500;

/**
 * The one-click backup, the checks, Save Project and Load Project (a drop into the Backup Browser,
 * then the Restore Wizard's preview), in a real browser.
 */
describeInBrowser('Backup Manager and Backup Browser in a real browser', () => {
  let server: UiServer;
  let s: BrowserSession;
  let cities: { id: string };

  beforeAll(async () => {
    server = await startUiServer();
    cities = await seedDataset(server.api, 'Cities', citiesCsv(CITIES));
    s = await openSession('backups', server.url);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it('backs up with one click and checks the backup', async () => {
    const { page } = s;
    await page.goto('/backups');
    await page.getByRole('heading', { name: 'Backup Manager' }).waitFor();
    expect(await page.getByTestId('backup-health').innerText()).toContain('There is no backup yet: “Back up now” makes the first one.');
    expect(await page.getByTestId('next-backup').innerText()).toBe('No automatic backups are scheduled: backups are made only when you press “Back up now”.');
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByTestId('job-backup').and(page.locator('[data-state=completed]')).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('progressbar', { name: 'Backup' }).getAttribute('aria-valuenow')).toBe('100');
    const row = page.getByTestId('backup-row').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Manual[\s\S]*1 dataset, 500 locations, 0 configurations[\s\S]*Verified/);
    await page.waitForFunction(() => document.querySelector('[data-testid=backup-health]')?.textContent?.includes('Your data can be restored as it was on'));

    await row.getByRole('button', { name: 'Test restore' }).click();
    await row.getByText('Restore drill passed').waitFor({ timeout: 30_000 });
    // Verify says what it checked and that it passed, not only a new time
    await row.getByRole('button', { name: 'Verify' }).click();
    const verified = row.getByTestId('verify-result');
    await verified.waitFor({ timeout: 30_000 });
    expect(await verified.locator('strong').innerText()).toMatch(/^Verification passed: all \d+ checks$/);
    await verified.getByText('What was checked').click();
    const checks = await verified.locator('li').allInnerTexts();
    expect(checks).toEqual(expect.arrayContaining([expect.stringMatching(/^✓ The data’s SHA-256 checksum matches the manifest/), expect.stringMatching(/^✓ The record counts match the manifest \(1 datasets, 500 locations/)]));
    expect(checks.every((c) => c.startsWith('✓'))).toBe(true);
    await s.shot('backup-done-verified-drilled');
  });

  it('backs up with a label, a passphrase typed twice and no compression; an uploaded copy names its original', async () => {
    const { page } = s;
    const form = page.getByRole('form', { name: 'Back up now' });
    // no server key on this server: only "not encrypted" and "with a passphrase"
    expect(await form.getByLabel('Encryption').locator('option').allInnerTexts()).toEqual(['Not encrypted', 'With a passphrase']);
    await form.getByLabel('Label (optional)').fill('  Before the spring import ');
    await form.getByLabel('Encryption').selectOption('passphrase');
    await form.getByLabel('Compression').selectOption('none');
    await form.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
    await form.getByLabel('Passphrase again').fill('correct horse batery');
    await form.getByText('The two passphrases differ.').waitFor();
    expect(await form.getByRole('button', { name: 'Back up now' }).isDisabled()).toBe(true);
    await form.getByLabel('Passphrase again').fill('correct horse battery');
    await form.getByRole('button', { name: 'Back up now' }).click();
    const labelled = page.getByTestId('backup-row').filter({ hasText: 'Before the spring import' });
    await labelled.waitFor({ timeout: 60_000 });
    expect(await labelled.innerText()).toContain('native · none · encrypted');
    const [made] = (await server.api.get('/api/backups')).body.items;
    expect(made).toMatchObject({ label: 'Before the spring import', compression: 'none', encrypted: true });

    // the first (unencrypted) backup, downloaded and uploaded again: the copy says whose copy it is
    const [original] = (await server.api.get('/api/backups')).body.items.filter((b: { kind: string; encrypted: boolean }) => b.kind === 'manual' && !b.encrypted);
    const file = await server.api.get(`/api/backups/${original.id}/download`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect((await server.api.post('/api/backups/upload').set('Content-Type', 'application/octet-stream').send(file.body)).status).toBe(201);
    await page.reload();
    const copy = page.getByTestId('backup-row').filter({ hasText: 'Uploaded' });
    await copy.waitFor();
    expect(await copy.innerText()).toContain(`copy of the backup of ${await page.evaluate((at) => new Date(at).toLocaleString(), original.createdAt)}`);
    await s.shot('backup-labelled-and-copy');
  });

  it('adds a weekly backup schedule and changes the retention, saved across a reload', async () => {
    const { page } = s;
    await page.goto('/backups');
    await page.getByRole('button', { name: 'Add a schedule' }).click();
    const schedule = page.getByTestId('schedule').first();
    // a cron expression said in words, when it has a common shape
    await schedule.getByRole('combobox', { name: /^How often/ }).selectOption('cron');
    await schedule.getByRole('textbox', { name: 'Cron expression' }).fill('0 2 * * 1-5');
    expect(await schedule.getByTestId('schedule-in-words').locator('strong').innerText()).toMatch(/^Every weekday \(Monday to Friday\) at 02:00 \(.+ time\)$/);
    await schedule.getByRole('combobox', { name: /^How often/ }).selectOption('weekly');
    await schedule.getByRole('combobox', { name: /^Day/ }).selectOption('3');
    await schedule.getByLabel('At', { exact: true }).fill('03:30');
    // a time zone picked from the browser's list, the schedule in words; run times come once it is saved
    expect(await schedule.getByRole('combobox', { name: 'Time zone' }).locator('option').count()).toBeGreaterThan(300);
    await schedule.getByRole('combobox', { name: 'Time zone' }).selectOption('Asia/Tokyo');
    expect(await schedule.getByTestId('schedule-in-words').innerText()).toBe('Every Wednesday at 03:30 (Asia/Tokyo time)\nSave the schedules to see the next run times.');
    await page.getByLabel('Keep the last').fill('5');
    await page.getByRole('button', { name: 'Save schedules' }).click();
    await page.getByText('Schedules saved.').waitFor();
    await page.reload();
    await page.getByTestId('schedule').first().waitFor();
    expect(await page.getByTestId('schedule').first().getByRole('combobox', { name: /^Day/ }).inputValue()).toBe('3');
    expect(await page.getByLabel('Keep the last').inputValue()).toBe('5');
    // the next three runs as the server's scheduler computes them: Wednesdays 03:30 in Tokyo (the page shows UTC)
    const words = page.getByTestId('schedule').first().getByTestId('schedule-in-words');
    await words.getByText('Next runs:').waitFor();
    const runs = (await words.innerText()).split('Next runs: ')[1].split(' · ');
    expect(runs).toHaveLength(3);
    // the page's clock is UTC: each run is a Tuesday at 18:30 there, a week apart
    const utc = await page.evaluate((shown) => shown.map((r) => new Date(r).toUTCString()), runs);
    for (const run of utc) expect(run).toMatch(/^Tue, .* 18:30:00 GMT$/);
    expect(Date.parse(utc[1]) - Date.parse(utc[0])).toBe(7 * 24 * 3600_000);
    expect(await page.getByTestId('next-backup').innerText()).toBe(`Next automatic backup: ${runs[0]} (the schedules make one every 7 days).`);
    await s.shot('backup-schedule-saved');
    const doc = (await server.api.get('/api/backup-schedules')).body;
    expect(doc.schedules).toEqual([expect.objectContaining({ frequency: 'weekly', dayOfWeek: 3, time: '03:30', timezone: 'Asia/Tokyo', enabled: true })]);
    expect(doc.retention.keepLast).toBe(5);
  });

  it('saves the project, and loads it back by dropping the file into the Backup Browser, with the preview first', async () => {
    const { page } = s;
    await page.goto('/');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save Project' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^globe-backup-\d{4}-\d{2}-\d{2}\.json$/);
    const project = readFileSync((await download.path())!, 'utf8');
    expect(JSON.parse(project).locations).toHaveLength(CITIES);

    expect((await server.api.delete(`/api/datasets/${cities.id}`)).status).toBe(204);
    // made after the save: loading the project must keep it unless told to replace everything
    await seedDataset(server.api, 'Kept', citiesCsv(3, 'Kept'), '#2e86de');
    await page.getByRole('button', { name: 'Load Project' }).click();
    await page.getByRole('heading', { name: 'Backup Browser' }).waitFor();
    await s.shot('load-project-drop-zone');
    await dropFile(page, '[data-testid=drop-zone]', { name: download.suggestedFilename(), type: 'application/json', text: project });

    await page.getByRole('heading', { name: 'Restore Wizard' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('radio', { name: 'A backup' }).isChecked()).toBe(true);
    const chosen = page.locator('input[name=backup]:checked');
    await chosen.waitFor();
    expect(await page.locator('label', { has: chosen }).innerText()).toContain('uploaded');
    // nothing moved yet
    expect((await server.api.get(`/api/datasets/${cities.id}`)).status).toBe(404);
    await page.getByRole('button', { name: 'Next: what to restore' }).click();
    // adding the project as a new dataset is the default; replacing everything is the explicit other choice
    const add = page.getByRole('radio', { name: /^Add it as a new dataset “globe-backup-.*” \(500 locations\), and keep everything else/ });
    await add.waitFor();
    expect(await add.isChecked()).toBe(true);
    await s.shot('load-project-how');
    await page.getByRole('radio', { name: /^Replace everything/ }).check();
    await page.getByRole('button', { name: 'Next: preview' }).click();
    await page.getByTestId('preview-summary').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('preview-summary').locator('li').allInnerTexts()).toEqual(expect.arrayContaining(['1 dataset added', '500 locations added', '1 dataset removed', '3 locations removed']));
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('radio', { name: /^Add it as a new dataset/ }).check();
    await page.getByRole('button', { name: 'Next: preview' }).click();
    await page.getByTestId('preview-summary').waitFor({ timeout: 30_000 });
    const sentences = await page.getByTestId('preview-summary').locator('li').allInnerTexts();
    expect(sentences).toEqual(['1 dataset added', '500 locations added']);
    await s.shot('load-project-preview');

    await page.getByRole('button', { name: 'Next: see the globe' }).click();
    // the globe as the restore would leave it: what is there now, and the project's dataset read from the backup (GET /api/locations?backupId=)
    await page.waitForFunction((n) => document.querySelector('[data-testid=globe-point-count]')?.getAttribute('data-points') === String(n), CITIES + 3, { timeout: 30_000 });
    await s.shot('load-project-globe-preview');
    await page.getByRole('button', { name: 'Next: confirm' }).click();
    await page.getByLabel('Type RESTORE to confirm').fill('RESTORE');
    await page.getByRole('button', { name: 'Restore now' }).click();
    await page.getByTestId('restore-done').waitFor({ timeout: 60_000 });
    await s.shot('load-project-restored');
    // a Globe app project file holds locations without datasets: they come back as one dataset named after the file, beside what was there
    const name = download.suggestedFilename().replace(/\.json$/, '');
    const after = (await server.api.get('/api/datasets')).body.items as { name: string; locationCount: number }[];
    expect(after.map((d) => [d.name, d.locationCount]).sort()).toEqual([[name, CITIES], ['Kept', 3]].sort());
    expect(s.pageErrors).toEqual([]);
  });
});
