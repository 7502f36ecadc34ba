import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../support/app-harness';
import { S3RVER_CREDENTIALS, TestS3Server, startS3Server } from '../support/s3-server';
import { BrowserSession, describeInBrowser, openSession } from './support/browser';
import { citiesCsv, seedDataset } from './support/fixtures';
import { eventually } from './support/page-helpers';
import { UiServer, startUiServer } from './support/ui-server';

const CITIES = 40;
const TOWNS = 20;

/** Waits for the start of the next wall-clock second; answers it (ms). */
async function nextSecond(): Promise<number> {
  const second = (Math.floor(Date.now() / 1000) + 1) * 1000;
  await sleep(second - Date.now() + 20);
  return second;
}

/**
 * Off the machine, in the real browser (issue 14, "The UI"), with a real S3 server (s3rver):
 * A writes to a folder and to S3 and archives its log to S3; the Backup Manager shows each storage,
 * each copy's state as it changes (the S3 server stopped, then started), and the archive's lag and
 * window. Then A is gone: B, empty, on the same bucket, restores through the Restore Wizard to a
 * moment of the archive, and A's data as it was then appear. One server at a time, small data.
 * The first test waits out the archive's backoff after the outage (up to ~15 s), hence its longer timeout.
 */
describeInBrowser('Storage, copies and the archive; a fresh instance restores from the cloud, in a real browser', () => {
  let s3: TestS3Server;
  let local: string;
  let a: UiServer | null = null;
  let b: UiServer | null = null;
  let s: BrowserSession;
  /** A moment of A's history, to the second: after the cities, before the towns. */
  let moment: number;
  /** A's last position, all of it archived when A goes. */
  let archivedHead: number;

  beforeAll(async () => {
    s3 = await startS3Server();
    local = mkdtempSync(join(realpathSync(tmpdir()), 'gv-ui-file-'));
  });
  afterAll(async () => {
    await s?.close();
    await a?.close();
    await b?.close();
    await s3?.close();
    rmSync(local, { recursive: true, force: true });
  });

  const names = async (server: UiServer) => ((await server.api.get('/api/datasets')).body.items as { name: string }[]).map((d) => d.name);

  it('shows the storages, each backup copy and its state live (S3 down, then back), and what a lost server would lose', async () => {
    const bucket = `s3://${s3.bucket}/vault`;
    a = await startUiServer({ ...s3.env(), BACKUP_STORAGE: `file:${local},${bucket}`, ARCHIVE_INTERVAL_MS: '200', BACKUP_COPY_RETRY_MAX_MS: '1000' });
    await seedDataset(a.api, 'Cities', citiesCsv(CITIES));
    moment = await nextSecond();
    s = await openSession('cloud-storage', a.url);
    const { page } = s;
    await page.goto('/backups');
    const storages = page.getByTestId('storage-row');
    await storages.first().waitFor();
    expect(await storages.allInnerTexts()).toEqual([
      expect.stringMatching(new RegExp(`^Folder on the server\\s+primary\\s+${local}\\s+All copies stored`)),
      expect.stringMatching(new RegExp(`^S3 bucket\\s+${s3.bucket}/vault\\s+All copies stored`)),
    ]);
    await page.getByTestId('archive-lag').getByText('A lost server would lose nothing').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('archive-status').innerText()).toContain(`S3 bucket ${s3.bucket}/vault, not encrypted`);
    expect(await page.getByTestId('archive-window').innerText()).toMatch(/^Recoverable from the archive alone: any moment from .+ to .+\.$/);

    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByTestId('job-backup').and(page.locator('[data-state=completed]')).waitFor({ timeout: 60_000 });
    const copies = page.getByTestId('backup-row').first().getByTestId('backup-copy');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=backup-copy][data-state=verified]').length === 2);
    expect(await copies.allInnerTexts()).toEqual([expect.stringMatching(new RegExp(`^${local} Verified`)), expect.stringMatching(new RegExp(`^${s3.bucket}/vault Verified`))]);
    // the page scrolls inside its layout, so a shot shows what is scrolled into view
    await copies.first().scrollIntoViewIfNeeded();
    await s.shot('file-and-s3-verified');

    // The bucket goes away: the next writes wait for the archive, the next backup's S3 copy waits in the queue.
    await sleep(moment + 1100 - Date.now());
    await s3.stop();
    await seedDataset(a.api, 'Towns', citiesCsv(TOWNS, 'Town'));
    await page.getByTestId('archive-lag').getByText(/A lost server would lose the last .+ \(\d+ changes not archived yet\)/).waitFor({ timeout: 20_000 });
    await page.getByTestId('archive-error').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Back up now' }).click();
    const pending = page.getByTestId('backup-row').first().locator('[data-testid=backup-copy][data-state=pending]');
    await pending.waitFor({ timeout: 60_000 });
    expect(await pending.innerText()).toMatch(new RegExp(`^${s3.bucket}/vault Pending\\s+STORAGE.UNAVAILABLE`));
    expect(await storages.nth(1).innerText()).toMatch(/1 pending/);
    await page.getByTestId('archive-status').scrollIntoViewIfNeeded();
    await s.shot('s3-down-copy-pending-archive-behind');

    // Back again: the copy goes up and verifies, the archive catches up, on screen without a reload.
    await s3.start();
    await page.getByTestId('backup-row').first().locator('[data-testid=backup-copy][data-state=verified]').nth(1).waitFor({ timeout: 30_000 });
    await page.getByTestId('archive-lag').getByText('A lost server would lose nothing').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('archive-error').count()).toBe(0);
    expect(await storages.nth(1).innerText()).toContain('All copies stored');
    await s.shot('s3-back-all-stored');
    const archive = (await a.api.get('/api/backups/health')).body.archive;
    expect(archive).toMatchObject({ lag: { positions: 0 }, lastError: null, found: null });
    archivedHead = archive.archivedPosition;
    // Credentials never reach the page.
    expect(await page.content()).not.toContain(S3RVER_CREDENTIALS.AWS_SECRET_ACCESS_KEY);
    expect(s.pageErrors).toEqual([]);
  }, 150_000);

  it('a fresh instance on the same bucket offers the cloud backups and the archive window, and restores a moment of it through the wizard', async () => {
    await a!.close();
    a = null;
    b = await startUiServer({ ...s3.env(), BACKUP_STORAGE: `s3://${s3.bucket}/vault`, ARCHIVE_INTERVAL_MS: '200' });
    expect(await names(b)).toEqual([]);
    // What the wizard offers comes from health: the archive the bucket holds, while B's log is empty.
    const found = (await b.api.get('/api/backups/health')).body.archive.found;
    expect(found).toMatchObject({ epoch: 1, oldest: { position: 1 } });
    expect(found.newest.position).toBeGreaterThanOrEqual(archivedHead);
    expect(Date.parse(found.oldest.recordedAt)).toBeLessThan(moment);
    expect(Date.parse(found.newest.recordedAt)).toBeGreaterThan(moment + 1000);
    const { page } = s;
    await page.goto(`${b.url}/backups`);
    expect(await page.getByTestId('archive-found').innerText()).toMatch(/^This storage holds an archive \(epoch 1, [\d,]+ changes\) from .+ to .+\. The Restore Wizard can bring back any moment of it\.$/);

    await page.getByRole('link', { name: 'Restore Wizard' }).first().click();
    const fromArchive = page.getByRole('radio', { name: 'A moment of the archive in the storage' });
    await fromArchive.waitFor();
    expect(await fromArchive.isChecked()).toBe(true);
    // The cloud's backups, found by looking through the bucket (this instance's catalog was empty).
    await page.getByRole('radio', { name: 'A backup' }).check();
    const foundBackups = page.getByRole('radio', { name: /found/ });
    await eventually(() => foundBackups.count(), (n) => n === 2, 20_000);
    expect(await page.getByRole('group', { name: 'Backup' }).innerText()).toMatch(new RegExp(`in ${s3.bucket}/vault`));
    await s.shot('fresh-wizard-cloud-backups');

    await fromArchive.check();
    const picker = page.getByLabel('Restore to the moment');
    expect(await picker.getAttribute('min')).toBe(new Date(Date.parse(found.oldest.recordedAt)).toISOString().slice(0, 19));
    // Outside the window there is nothing to restore: said, and no way on.
    await picker.fill(new Date(moment - 3600_000).toISOString().slice(0, 19));
    await page.getByRole('alert').getByText(/^Choose a moment between .+: the archive holds nothing outside it\.$/).waitFor();
    expect(await page.getByRole('button', { name: 'Next: what to restore' }).isDisabled()).toBe(true);
    await picker.fill(new Date(moment).toISOString().slice(0, 19));
    await s.shot('fresh-wizard-archive-moment');
    await page.getByRole('button', { name: 'Next: what to restore' }).click();
    await page.getByRole('button', { name: 'Next: preview' }).click();
    const summary = page.getByTestId('preview-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.locator('li').allInnerTexts()).toEqual(['1 dataset added', `${CITIES} locations added`]);
    expect(await page.getByTestId('archive-reads').locator('summary').innerText()).toMatch(new RegExp(`^Reads \\d+ objects? \\(.+\\) from the S3 bucket ${s3.bucket}/vault$`));
    await s.shot('fresh-wizard-preview');
    await page.getByRole('button', { name: 'Next: see the globe' }).click();
    await page.getByRole('button', { name: 'Next: confirm' }).click();
    await page.getByLabel('Type RESTORE to confirm').fill('RESTORE');
    await page.getByRole('button', { name: 'Restore now' }).click();
    await page.getByTestId('restore-done').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('restore-done').innerText()).toContain(`1 dataset added, ${CITIES} locations added`);

    expect(await names(b)).toEqual(['Cities']);
    await page.goto(`${b.url}/data`);
    await page.getByLabel('Name of Cities').waitFor();
    expect(await page.getByLabel('Name of Towns').count()).toBe(0);
    await s.shot('fresh-restored-data');
    expect(s.pageErrors).toEqual([]);
  }, 120_000);
});
