import { expectWellFormedStream } from './support/progress-assertions';
import { ProgressClient } from './support/progress-client';
import { TestInstance, startInstance } from './support/gateway-test-app';

/** A real import, watched from a real socket.io client from start to finish. */
describe('progress of a 200,000-row import', () => {
  let instance: TestInstance;
  beforeAll(async () => (instance = await startInstance()));
  afterAll(() => instance.close());

  async function startImport(rows: number): Promise<{ jobId: string; datasetId: string }> {
    const created = await fetch(`${instance.url}/api/datasets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Watched' }),
    });
    const datasetId = ((await created.json()) as { id: string }).id;
    const lines = ['name,lat,lng,population'];
    for (let i = 0; i < rows; i++) lines.push(`City ${i},${(i % 170) - 85},${(i % 350) - 175},${i}`);
    const res = await fetch(`${instance.url}/api/datasets/${datasetId}/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: lines.join('\n'),
    });
    expect(res.status).toBe(202);
    return { jobId: ((await res.json()) as { jobId: string }).jobId, datasetId };
  }

  it('streams state, honest monotonic progress and exactly one final event whose counts are the rows written', async () => {
    const rows = 200_000;
    const client = await ProgressClient.connect(instance.url);
    await client.subscribe({ kind: 'import' });
    const { jobId, datasetId } = await startImport(rows);
    await client.waitForFinal(jobId, 120_000);
    const stream = expectWellFormedStream(client.received, jobId);
    expect(stream.final.event).toBe('job.completed');
    expect(stream.final.job).toMatchObject({ state: 'completed', done: rows, total: rows, result: { locationsWritten: rows } });
    expect(stream.state.state).toBe('queued');
    // 'writing' is one short transaction: the throttle may fold it into the next update.
    expect(stream.progress.map((v) => v.phase)).toEqual(expect.arrayContaining(['reading', 'projecting']));
    // The total is never invented: unknown (null) until the file has been read.
    for (const view of stream.progress) {
      if (view.phase === 'reading') expect(view.total).toBeNull();
      if (view.total !== null) expect(view.done).toBeLessThanOrEqual(view.total);
    }
    const api = await (await fetch(`${instance.url}/api/jobs/${jobId}`)).json();
    expect(stream.final.job).toEqual(api);
    const dataset = (await (await fetch(`${instance.url}/api/datasets/${datasetId}`)).json()) as { locationCount: number };
    expect(dataset.locationCount).toBe(rows);
    client.socket.close();
  }, 180_000);
});
