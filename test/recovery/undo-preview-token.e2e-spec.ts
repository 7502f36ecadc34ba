import { Http, TestApp, allLocations, createDataset, startApp, waitForJob } from '../support/app-harness';
import { addLocation, expectStatus, getJson, headPosition, preview, restore } from './recovery-helpers';

/**
 * An undo with the care of a restore: it may quote the token of its own preview (restoring the
 * position before the restore, for its scope). With it, the undo runs only on the data the preview
 * saw: a write in between makes it 409 RESTORE.PREVIEW_STALE with nothing written, and a token of
 * another preview is refused (400 RESTORE.PREVIEW_MISMATCH).
 */
describe('undo quotes its preview token (e2e)', () => {
  let t: TestApp;
  let http: Http;
  let restored: { restoreId: string; basePosition: number; scope: Record<string, unknown> };
  let datasetId: string;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
    datasetId = (await createDataset(http, { name: 'Places' })).id;
    await addLocation(http, datasetId, { id: 'a', name: 'A', latitude: 1, longitude: 1, properties: {} });
    const before = await headPosition(http);
    await addLocation(http, datasetId, { id: 'b', name: 'B', latitude: 2, longitude: 2, properties: {} });
    // restore to before B: B goes; undoing that brings B back
    const p = await preview(http, { target: { position: before }, scope: { datasets: [datasetId] } });
    const { restoreId } = await restore(http, { previewToken: p.previewToken });
    restored = { restoreId, ...(await getJson(http, `/api/restores/${restoreId}`)) };
    expect((await allLocations(http)).map((l) => l.id)).toEqual(['a']);
  });
  afterAll(() => t?.close());

  const undoPreview = () => preview(http, { target: { position: restored.basePosition }, scope: restored.scope });

  it('refuses a stale token with 409 RESTORE.PREVIEW_STALE and writes nothing', async () => {
    const { previewToken, counts } = await undoPreview();
    expect(counts.locations).toEqual({ added: 1, changed: 0, removed: 0 });
    await addLocation(http, datasetId, { id: 'c', name: 'C', latitude: 3, longitude: 3, properties: {} });
    const head = await headPosition(http);
    const res = await http.post(`/api/restores/${restored.restoreId}/undo`).send({ previewToken });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'RESTORE.PREVIEW_STALE' });
    expect(await headPosition(http)).toBe(head);
    expect((await getJson(http, `/api/restores/${restored.restoreId}`)).undoneBy).toBeNull();
  });

  it("refuses another preview's token (400 RESTORE.PREVIEW_MISMATCH) and a forged one (400 RESTORE.INVALID_PREVIEW_TOKEN)", async () => {
    const other = await preview(http, { target: { position: restored.basePosition }, scope: {} });
    const mismatch = await http.post(`/api/restores/${restored.restoreId}/undo`).send({ previewToken: other.previewToken });
    expect({ status: mismatch.status, code: mismatch.body.code }).toEqual({ status: 400, code: 'RESTORE.PREVIEW_MISMATCH' });
    const forged = await http.post(`/api/restores/${restored.restoreId}/undo`).send({ previewToken: 'x.y' });
    expect({ status: forged.status, code: forged.body.code }).toEqual({ status: 400, code: 'RESTORE.INVALID_PREVIEW_TOKEN' });
    const junk = await http.post(`/api/restores/${restored.restoreId}/undo`).send({ previewToken: 5 });
    expect({ status: junk.status, code: junk.body.code }).toEqual({ status: 400, code: 'RESTORE.INVALID_INPUT' });
  });

  it('undoes with a fresh token: the change the preview announced is made', async () => {
    // the dataset as it was before the restore: B back, C (added since) gone, as the preview says
    const { previewToken, counts } = await undoPreview();
    expect(counts.locations).toEqual({ added: 1, changed: 0, removed: 1 });
    const res = await http.post(`/api/restores/${restored.restoreId}/undo`).send({ previewToken });
    expectStatus(res, 202, 'POST undo');
    expect((await waitForJob(http, res.body.jobId, 60_000)).state).toBe('completed');
    expect((await allLocations(http)).map((l) => l.id).sort()).toEqual(['a', 'b']);
    expect((await getJson(http, `/api/restores/${restored.restoreId}`)).undoneBy?.id).toBe(res.body.restoreId);
  });
});
