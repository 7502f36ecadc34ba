import { Http, allAudit, allLocations, sleep, waitForJob } from '../support/app-harness';

/**
 * Shared steps of the recovery e2e specs (point-in-time restore, time travel, conflicts). Every
 * helper asserts the status it expects and fails with the body otherwise, so a broken step says why.
 */

export const RESTORE_COUNT_KEYS = ['datasets', 'locations', 'configurations', 'settings'] as const;

export const zeroCounts = () => ({
  datasets: { added: 0, changed: 0, removed: 0 },
  locations: { added: 0, changed: 0, removed: 0 },
  configurations: { added: 0, changed: 0, removed: 0 },
  settings: { changed: 0 },
});

export type Counts = ReturnType<typeof zeroCounts>;

/** `zeroCounts()` with some kinds replaced: `counts({locations: {added: 3}})`. */
export function counts(partial: { [K in keyof Counts]?: Partial<Counts[K]> }): Counts {
  const base = zeroCounts();
  for (const key of RESTORE_COUNT_KEYS) Object.assign(base[key], partial[key] ?? {});
  return base;
}

/**
 * Returns an ISO time strictly between everything written before the call and everything written
 * after it: the log's `recordedAt` has millisecond resolution, so a gap on both sides keeps the two
 * apart whatever the clock's granularity.
 */
export async function momentBetween(gapMs = 25): Promise<string> {
  await sleep(gapMs);
  const at = new Date().toISOString();
  await sleep(gapMs);
  return at;
}

/** Fails with the response body when the status is not the expected one. */
export function expectStatus(res: { status: number; body: unknown }, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what} answered ${res.status} (expected ${status}): ${JSON.stringify(res.body)}`);
}

/** The position of the last event in the log (from the audit trail, newest first), 0 when empty. */
export async function headPosition(http: Http): Promise<number> {
  const res = await http.get('/api/audit').query({ limit: 1 });
  expectStatus(res, 200, 'GET /api/audit');
  return res.body.items[0]?.position ?? 0;
}

/** How many events the log holds (every one is in the audit trail). */
export async function auditCount(http: Http): Promise<number> {
  return (await allAudit(http)).length;
}

export async function preview(http: Http, body: Record<string, unknown>): Promise<any> {
  const res = await http.post('/api/restores/preview').send(body);
  expectStatus(res, 200, `POST /api/restores/preview ${JSON.stringify(body)}`);
  return res.body;
}

/** POST /api/restores, expects 202 {jobId, restoreId}, waits for the job; answers the ids and the final job. */
export async function restore(http: Http, body: Record<string, unknown>): Promise<{ jobId: string; restoreId: string; job: any }> {
  const res = await http.post('/api/restores').send(body);
  expectStatus(res, 202, 'POST /api/restores');
  expect(Object.keys(res.body).sort()).toEqual(['jobId', 'restoreId']);
  const job = await waitForJob(http, res.body.jobId, 60_000);
  expect({ state: job.state, error: job.error }).toEqual({ state: 'completed', error: null });
  return { jobId: res.body.jobId, restoreId: res.body.restoreId, job };
}

export async function undo(http: Http, restoreId: string): Promise<{ jobId: string; restoreId: string; job: any }> {
  const res = await http.post(`/api/restores/${restoreId}/undo`);
  expectStatus(res, 202, `POST /api/restores/${restoreId}/undo`);
  const job = await waitForJob(http, res.body.jobId, 60_000);
  expect({ state: job.state, error: job.error }).toEqual({ state: 'completed', error: null });
  return { jobId: res.body.jobId, restoreId: res.body.restoreId, job };
}

export async function getJson(http: Http, url: string, query: Record<string, string | number> = {}): Promise<any> {
  const res = await http.get(url).query(query);
  expectStatus(res, 200, `GET ${url}?${new URLSearchParams(query as Record<string, string>)}`);
  return res.body;
}

/** Everything a Globe user can read, as the live read models answer it now (or as of `at`). */
export async function everything(http: Http, at?: string) {
  const q: Record<string, string> = at ? { at } : {};
  const datasets = await getJson(http, '/api/datasets', q);
  return {
    datasets: datasets.items as any[],
    locations: await allLocations(http, q, 1000),
    settings: await getJson(http, '/api/settings', q),
    configurations: (await getJson(http, '/api/configurations', q)).items as any[],
  };
}

/** Creates a location through the API (201) and answers it as the API returned it. */
export async function addLocation(http: Http, datasetId: string, body: Record<string, unknown>): Promise<any> {
  const res = await http.post(`/api/datasets/${datasetId}/locations`).send(body);
  expectStatus(res, 201, `POST /api/datasets/${datasetId}/locations`);
  return res.body;
}

export async function patch(http: Http, url: string, body: Record<string, unknown>): Promise<any> {
  const res = await http.patch(url).send(body);
  expectStatus(res, 200, `PATCH ${url}`);
  return res.body;
}

/** Imports a CSV text into a dataset and waits for the job to complete; answers the job. */
export async function importCsv(http: Http, datasetId: string, text: string, query: Record<string, string> = {}): Promise<any> {
  const res = await http.post(`/api/datasets/${datasetId}/import`).query(query).set('Content-Type', 'text/csv').send(text);
  expectStatus(res, 202, `POST /api/datasets/${datasetId}/import`);
  const job = await waitForJob(http, res.body.jobId, 60_000);
  expect({ state: job.state, error: job.error }).toEqual({ state: 'completed', error: null });
  return job;
}

/** Compares two arrays of items by id, whatever their order. */
export const byId = <T extends { id: string }>(items: T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
