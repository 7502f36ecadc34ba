import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { TestApp, allLocations, startApp, waitForJob } from '../support/app-harness';
import { counts, everything, expectStatus, getJson, headPosition, importCsv, patch, preview, restore, undo } from '../recovery/recovery-helpers';
import { backupNow, csvWithExtras, download, everyRead, upload } from './backup-helpers';

/**
 * Restoring from a backup goes through the same preview / conflicts / compensating events / undo as
 * a point-in-time restore: a scope restores exactly that scope to what the backup holds, a whole
 * restore brings back every item as the API answered it right before the backup, an encrypted
 * backup needs its passphrase, and a fresh service restored from a downloaded file reads the same.
 */

function csvB(n: number): string {
  const lines = ['title,latitude,longitude,population'];
  for (let i = 0; i < n; i++) lines.push(`Town B${i},${(i % 80) - 40},${(i % 300) - 150},${5000 + i}`);
  return lines.join('\n') + '\n';
}

const withoutCount = ({ locationCount: _n, ...dataset }: any) => dataset;
const withoutDatasetId = ({ datasetId: _d, ...location }: any) => location;

describe('restore from a backup (e2e)', () => {
  let t: TestApp;
  let a: any;
  let b: any;
  let backup: any;
  /** Every read endpoint's answer right before the backup. */
  let atBackup: any;

  beforeAll(async () => {
    t = await startApp();
    const http = t.http;
    a = (await http.post('/api/datasets').send({ name: 'Cities A', description: 'with extra columns', color: '#aa3300', columnMapping: { quantity: 'quantity', label: 'country' } })).body;
    b = (await http.post('/api/datasets').send({ name: 'Towns B' })).body;
    await importCsv(http, a.id, csvWithExtras(30), { fileName: 'cities-a.csv' });
    await importCsv(http, b.id, csvB(12), { fileName: 'towns-b.csv' });
    await patch(http, '/api/settings', { theme: 'dark', globeStyle: 'satellite' });
    expectStatus(await http.put('/api/configurations/view-1').send({ kind: 'camera-view', name: 'View 1', value: { lat: 10, lng: 20, zoom: 3 } }), 200, 'PUT configuration');
    expectStatus(await http.put('/api/configurations/layers-1').send({ kind: 'layers', name: 'Layers', value: ['borders', 'cities'] }), 200, 'PUT configuration');
    atBackup = await everyRead(http);
    // the extra columns are in properties, typed: what the restore must bring back verbatim
    expect(atBackup.locations.find((l: any) => l.name === 'City 1')).toMatchObject({ quantity: 3, properties: { country: 'Country 1', capital: false, founded: 1001, notes: 'note, 1' } });
    backup = (await backupNow(http, {})).view;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a scoped restore (dataset A, target-wins) shows the conflicts, restores exactly A, leaves B, settings and configurations, and can be undone', async () => {
    const http = t.http;
    const aLocationsAtBackup = atBackup.perDataset[a.id].locations as any[];
    const changed = aLocationsAtBackup[7];
    const removedFromB = (atBackup.perDataset[b.id].locations as any[])[3];

    // after the backup: A renamed, one of its locations edited; one of B's deleted; settings changed
    await patch(http, `/api/datasets/${a.id}`, { name: 'Cities A (renamed)' });
    await patch(http, `/api/locations/${changed.id}`, { name: 'Moved city', latitude: 1.5, properties: { country: 'Elsewhere' } });
    expectStatus(await http.delete(`/api/locations/${removedFromB.id}`), 204, 'DELETE a location of B');
    await patch(http, '/api/settings', { theme: 'light', language: 'fr' });
    const current = await everything(http);
    const currentA = await getJson(http, `/api/datasets/${a.id}`);
    const currentChanged = await getJson(http, `/api/locations/${changed.id}`);
    expect(currentA.updated_at > atBackup.perDataset[a.id].dataset.updated_at).toBe(true);
    expect(currentChanged.updated_at > changed.updated_at).toBe(true);
    const head = await headPosition(http);

    const pv = await preview(http, { target: { backupId: backup.id }, scope: { datasets: [a.id] } });
    expect(pv.counts).toEqual(counts({ datasets: { changed: 1 }, locations: { changed: 1 } }));
    expect(pv.target).toEqual({ backupId: backup.id });
    expect(pv.position).toBe(backup.headPosition);
    expect(pv.basePosition).toBe(head);
    expect(pv.conflicts).toEqual({
      count: 2,
      items: [
        { key: `dataset:${a.id}`, kind: 'dataset', id: a.id, current: withoutCount(currentA), target: withoutCount(atBackup.perDataset[a.id].dataset) },
        { key: `location:${changed.id}`, kind: 'location', id: changed.id, current: currentChanged, target: changed },
      ],
    });
    expect(pv.samples.locations.changed).toEqual([{ id: changed.id, current: currentChanged, target: changed }]);
    expect(await headPosition(http)).toBe(head);

    const { restoreId, job } = await restore(http, { previewToken: pv.previewToken, strategy: 'target-wins' });
    expect(job.result.counts).toEqual(pv.counts);
    // A is the backup's A, to the last field (updated_at included)
    expect(await getJson(http, `/api/datasets/${a.id}`)).toEqual(atBackup.perDataset[a.id].dataset);
    expect(await allLocations(http, { datasetId: a.id })).toEqual(aLocationsAtBackup);
    expect(await getJson(http, `/api/locations/${changed.id}`)).toEqual(changed);
    // nothing else moved
    const after = await everything(http);
    expect(after.settings).toEqual(current.settings);
    expect(after.configurations).toEqual(current.configurations);
    expect(after.locations.filter((l: any) => l.datasetId === b.id)).toEqual(current.locations.filter((l: any) => l.datasetId === b.id));
    expect(after.datasets.find((d: any) => d.id === b.id)).toEqual(current.datasets.find((d: any) => d.id === b.id));
    const gone = await http.get(`/api/locations/${removedFromB.id}`);
    expect({ status: gone.status, code: gone.body.code }).toEqual({ status: 404, code: 'LOCATION.NOT_FOUND' });
    const listed = (await getJson(http, `/api/restores/${restoreId}`));
    expect(listed).toMatchObject({ target: { backupId: backup.id }, scope: { datasets: [a.id] }, strategy: 'target-wins', counts: pv.counts });

    // undo: back to what it was before the restore
    await undo(http, restoreId);
    expect(await everything(http)).toEqual(current);
  });

  it('a whole restore brings back everything as the API answered it right before the backup', async () => {
    const http = t.http;
    // one more change of every kind since the backup
    expectStatus(await http.delete('/api/configurations/layers-1'), 204, 'DELETE configuration');
    expectStatus(await http.put('/api/configurations/filter-9').send({ kind: 'filter', name: 'New', value: { q: 'x' } }), 200, 'PUT configuration');
    const extra = (await http.post('/api/datasets').send({ name: 'Created after the backup' })).body;
    await importCsv(http, extra.id, csvB(3));

    const pv = await preview(http, { target: { backupId: backup.id } });
    expect(pv.counts).toEqual(
      counts({
        datasets: { changed: 1, removed: 1 },
        locations: { added: 1, changed: 1, removed: 3 },
        configurations: { added: 1, removed: 1 },
        settings: { changed: 2 },
      }),
    );
    const { job } = await restore(http, { previewToken: pv.previewToken });
    expect(job.result.counts).toEqual(pv.counts);
    expect(await everyRead(http)).toEqual(atBackup);
  });

  it('an encrypted backup: no passphrase → BACKUP.PASSPHRASE_REQUIRED, a wrong one → BACKUP.WRONG_PASSPHRASE, the right one restores', async () => {
    const http = t.http;
    const passphrase = 'restore-me-please';
    const enc = (await backupNow(http, { passphrase })).view;
    const encState = await everyRead(http);
    await patch(http, '/api/settings', { theme: 'light' });
    await patch(http, `/api/datasets/${b.id}`, { description: 'changed after the encrypted backup' });

    const none = await http.post('/api/restores/preview').send({ target: { backupId: enc.id } });
    expect({ status: none.status, code: none.body.code }).toEqual({ status: 400, code: 'BACKUP.PASSPHRASE_REQUIRED' });
    const wrong = await http.post('/api/restores/preview').send({ target: { backupId: enc.id, passphrase: 'not-the-passphrase' } });
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 422, code: 'BACKUP.WRONG_PASSPHRASE' });

    const pv = await preview(http, { target: { backupId: enc.id, passphrase } });
    // the passphrase is never echoed, signed or recorded
    expect(pv.target).toEqual({ backupId: enc.id });
    expect(JSON.stringify(pv)).not.toContain(passphrase);
    expect(pv.counts).toEqual(counts({ datasets: { changed: 1 }, settings: { changed: 1 } }));
    const { restoreId } = await restore(http, { previewToken: pv.previewToken, passphrase });
    expect(await everyRead(http)).toEqual(encState);
    expect(JSON.stringify(await getJson(http, `/api/restores/${restoreId}`))).not.toContain(passphrase);
    expect(JSON.stringify(await getJson(http, '/api/audit', { limit: 50 }))).not.toContain(passphrase);
  });

  it('the passphrase is checked on every request, not only on the first one that opened the backup', async () => {
    const http = t.http;
    const passphrase = 'second-encrypted-backup';
    const enc = (await backupNow(http, { passphrase })).view;
    const before = await everyRead(http);
    await patch(http, '/api/settings', { theme: 'system' });
    const changed = await everyRead(http);

    // the right passphrase opens the backup once ...
    await preview(http, { target: { backupId: enc.id, passphrase } });
    // ... which must not let a wrong or a missing one through afterwards (outcomes collected, then compared at once)
    const wrong = await http.post('/api/restores/preview').send({ target: { backupId: enc.id, passphrase: 'guess-guess-guess' } });
    const none = await http.post('/api/restores/preview').send({ target: { backupId: enc.id } });
    const pv = await preview(http, { target: { backupId: enc.id, passphrase } });
    const started = await http.post('/api/restores').send({ previewToken: pv.previewToken });
    let restoreWithout = `${started.status} ${started.body.code}`;
    if (started.status === 202) {
      const job = await waitForJob(http, started.body.jobId, 60_000);
      restoreWithout = `202 then job ${job.state} ${job.error?.code}`;
    }
    const stateAfter = await everyRead(http);
    expect({
      previewWithWrong: `${wrong.status} ${wrong.body.code}`,
      previewWithout: `${none.status} ${none.body.code}`,
      restoreWithout: restoreWithout.replace('400 BACKUP.PASSPHRASE_REQUIRED', '202 then job failed BACKUP.PASSPHRASE_REQUIRED'),
      dataUnchanged: JSON.stringify(stateAfter) === JSON.stringify(changed),
    }).toEqual({
      previewWithWrong: '422 BACKUP.WRONG_PASSPHRASE',
      previewWithout: '400 BACKUP.PASSPHRASE_REQUIRED',
      restoreWithout: '202 then job failed BACKUP.PASSPHRASE_REQUIRED',
      dataUnchanged: true,
    });
    expect(changed).not.toEqual(before);
  });

  it('restored on a FRESH instance from the downloaded file, every read endpoint answers as the source did', async () => {
    const { bytes } = await download(t.http, backup.id);
    const fresh = await startApp();
    try {
      const http = fresh.http;
      expect(await everything(http)).toEqual({ datasets: [], locations: [], settings: DEFAULT_SETTINGS, configurations: [] });
      const up = await upload(http, bytes);
      expectStatus(up, 201, 'upload');
      expect(up.body).toMatchObject({ kind: 'uploaded', stateHash: backup.stateHash, counts: backup.counts, headPosition: backup.headPosition });
      const pv = await preview(http, { target: { backupId: up.body.id } });
      expect(pv.counts).toEqual(
        counts({ datasets: { added: 2 }, locations: { added: backup.counts.locations }, configurations: { added: 2 }, settings: { changed: 2 } }),
      );
      expect(pv.basePosition).toBe(0);
      await restore(http, { previewToken: pv.previewToken });
      expect(await everyRead(http)).toEqual(atBackup);
      // the restored locations carry every property and timestamp of the source
      const source = atBackup.perLocation as Record<string, any>;
      for (const l of await allLocations(http)) expect(withoutDatasetId(l)).toEqual(withoutDatasetId(source[l.id]));
      // and the fresh instance's own backup is of the very same state
      expect((await backupNow(http, { includeHistory: false })).view.stateHash).toBe(backup.stateHash);
    } finally {
      await fresh.close();
    }
  });
});
