import { startApp, TestApp } from '../support/app-harness';
import { backupNow, download, upload } from '../backups/backup-helpers';
import { counts, expectStatus, getJson, headPosition, patch, preview, restore } from './recovery-helpers';

/**
 * The conflict rule through HTTP: an item is a conflict only when it changed on both sides since the
 * target. A backup taken on instance A at position 1 is restored on instance B, whose log also stands
 * at 1 then moves on: what B changed after 1 (autoRotate) conflicts; what differs only because A
 * changed it (theme, and rotationSpeed, which B set at or before 1) is a plain change, written
 * whatever the strategy.
 */
describe('conflicts and plain changes in a restore preview (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('lists only items changed on both sides as conflicts; keep-current keeps those and writes the plain changes', async () => {
    a = await startApp();
    await patch(a.http, '/api/settings', { theme: 'dark' });
    const backup = (await backupNow(a.http)).view;
    expect(backup.headPosition).toBe(1);
    const atA = await getJson(a.http, '/api/settings');
    const { bytes } = await download(a.http, backup.id);

    b = await startApp();
    await patch(b.http, '/api/settings', { rotationSpeed: 4 });
    expect(await headPosition(b.http)).toBe(1);
    await patch(b.http, '/api/settings', { autoRotate: false });
    const up = await upload(b.http, bytes);
    expectStatus(up, 201, 'upload');
    const before = await getJson(b.http, '/api/settings');

    const pv = await preview(b.http, { target: { backupId: up.body.id }, scope: { settings: true } });
    expect(pv.counts).toEqual(counts({ settings: { changed: 3 } }));
    expect(pv.conflicts).toEqual({ count: 1, items: [{ key: 'settings:autoRotate', kind: 'settings', id: 'autoRotate', current: false, target: true }] });
    expect(pv.changes.count).toBe(2);
    expect(pv.changes.items.map((c: any) => [c.key, c.current, c.target]).sort()).toEqual([
      ['settings:rotationSpeed', 4, atA.rotationSpeed],
      ['settings:theme', before.theme, 'dark'],
    ].sort());

    // fail refuses: one conflict
    const refused = await b.http.post('/api/restores').send({ previewToken: pv.previewToken, strategy: 'fail' });
    expect({ status: refused.status, code: refused.body.code, details: refused.body.details }).toEqual({ status: 409, code: 'RESTORE.CONFLICTS', details: { count: 1 } });

    const done = await restore(b.http, { previewToken: pv.previewToken, strategy: 'keep-current' });
    expect(done.job.result.counts).toEqual(counts({ settings: { changed: 2 } }));
    const after = await getJson(b.http, '/api/settings');
    expect(after).toEqual({ ...before, theme: 'dark', rotationSpeed: atA.rotationSpeed, autoRotate: false });
  });
});
