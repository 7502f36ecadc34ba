import { Http, createDataset, csv, sleep } from '../support/app-harness';
import { addLocation, expectStatus, getJson, importCsv, patch } from '../recovery/recovery-helpers';

/**
 * Shared steps of the archive e2e specs: a writer's varied work, and waiting for the archive.
 */

/** Imports, additions, edits, deletions, settings and configurations: a bit of everything a Globe user does. */
export async function varietyOfWrites(http: Http, round: number): Promise<void> {
  const dataset = await createDataset(http, { name: `Round ${round}` });
  await importCsv(http, dataset.id, csv(40, round * 100));
  const added = await addLocation(http, dataset.id, { name: `Extra ${round}`, latitude: round, longitude: -round, properties: { round } });
  await patch(http, `/api/locations/${added.id}`, { name: `Extra ${round} (renamed)`, quantity: round * 3 });
  const some = (await getJson(http, '/api/locations', { datasetId: dataset.id, limit: 3 })).items;
  expectStatus(await http.delete(`/api/locations/${some[0].id}`), 204, 'DELETE location');
  await patch(http, '/api/settings', { theme: round % 2 ? 'dark' : 'light' });
  expectStatus(await http.put(`/api/configurations/cfg-${round}`).send({ kind: 'camera-view', name: `View ${round}`, value: { lat: round } }), 200, 'PUT configuration');
  if (round > 1) expectStatus(await http.delete(`/api/configurations/cfg-${round - 1}`), 204, 'DELETE configuration');
}

/** The archive part of GET /api/backups/health. */
export async function archiveHealth(http: Http): Promise<any> {
  const health = await getJson(http, '/api/backups/health');
  return health.archive;
}

/** Waits until the archive holds the whole log (no positions behind), and answers its status. */
export async function archiveCaughtUp(http: Http, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const archive = await archiveHealth(http);
    if (archive.headPosition > 0 && archive.archivedPosition === archive.headPosition) return archive;
    if (Date.now() > deadline) throw new Error(`the archive did not catch up: ${JSON.stringify(archive)}`);
    await sleep(50);
  }
}

/** Waits until a follower (health `follower`) has applied the log up to `position`, and answers its status. */
export async function followerCaughtUp(http: Http, position: number, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { follower } = await getJson(http, '/api/backups/health');
    if (follower.appliedPosition >= position) return follower;
    if (Date.now() > deadline) throw new Error(`the follower did not reach position ${position}: ${JSON.stringify(follower)}`);
    await sleep(50);
  }
}
