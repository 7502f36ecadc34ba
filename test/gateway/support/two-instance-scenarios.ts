import request from 'supertest';
import { expectWellFormedStream } from './progress-assertions';
import { ProgressClient } from './progress-client';
import { TestInstance } from './gateway-test-app';
import { STEP_MS, sleep, startControlledJob } from './synthetic-jobs';

/**
 * The multi-instance guarantees, for any way of linking two instances (the in-process cluster
 * adapter, Redis). Each instance keeps its own DATA_DIR, so only instance B knows B's jobs: a client
 * on A gets their state from B through the peers, and their updates through the adapter.
 */
export function twoInstanceScenarios(startPair: () => Promise<[TestInstance, TestInstance]>): void {
  let a: TestInstance;
  let b: TestInstance;
  const clients: ProgressClient[] = [];
  const connect = async (instance: TestInstance) => {
    const client = await ProgressClient.connect(instance.url);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    [a, b] = await startPair();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a client on A subscribed to a job running on B gets its state, its progress and one final event', async () => {
    const job = await startControlledJob(b.runner, 'import');
    job.progress({ total: 4, done: 1 });
    const onA = await connect(a);
    const onB = await connect(b);
    expect(await onA.subscribe({ jobId: job.id })).toEqual({ ok: true });
    expect(await onB.subscribe({ jobId: job.id })).toEqual({ ok: true });
    expect(onA.eventsFor(job.id)[0]).toMatchObject({ event: 'job.state', job: { done: 1, total: 4 } });

    for (let done = 2; done <= 4; done++) {
      job.progress({ done });
      await sleep(STEP_MS);
    }
    job.complete({ rows: 4 });
    await onA.waitForFinal(job.id);
    await onB.waitForFinal(job.id);
    await onA.settle();

    const stored = (await request(b.app.getHttpServer()).get(`/api/jobs/${job.id}`).expect(200)).body;
    for (const client of [onA, onB]) {
      const { progress, final } = expectWellFormedStream(client.received, job.id);
      expect(progress.map((view) => view.done)).toContain(4);
      expect(final.job).toEqual(stored);
    }
  });

  it('a client on A subscribed by kind and to all sees the jobs of B once, starting with the state of those running', async () => {
    const running = await startControlledJob(b.runner, 'backup');
    running.progress({ total: 2, done: 1 });
    await sleep(STEP_MS); // let JobRunner's throttle flush, so no live update races the answers below
    const onA = await connect(a);
    await onA.subscribe({ kind: 'backup' });
    await onA.subscribe({});
    expect(onA.namesFor(running.id)).toEqual(['job.state', 'job.state']);

    const next = await startControlledJob(b.runner, 'backup');
    next.progress({ total: 1, done: 1 });
    await sleep(STEP_MS);
    running.complete();
    next.complete();
    await onA.waitForFinal(running.id);
    await onA.waitForFinal(next.id);
    await onA.settle();

    expect(onA.namesFor(running.id).filter((name) => name === 'job.completed')).toHaveLength(1);
    expect(onA.namesFor(next.id).filter((name) => name === 'job.completed')).toHaveLength(1);
    expect(onA.eventsFor(next.id).some((r) => r.event === 'job.progress' && r.job.done === 1)).toBe(true);
  });

  it('a late subscriber on A to a job that ended on B gets its state and its final event', async () => {
    const job = await startControlledJob(b.runner);
    const watcher = await connect(b);
    await watcher.subscribe({ jobId: job.id });
    job.complete();
    await watcher.waitForFinal(job.id);

    const onA = await connect(a);
    expect(await onA.subscribe({ jobId: job.id })).toEqual({ ok: true });
    await onA.settle();
    expect(onA.namesFor(job.id)).toEqual(['job.state', 'job.completed']);
  });

  it('a job no instance knows is JOB.NOT_FOUND', async () => {
    const onA = await connect(a);
    expect(await onA.subscribe({ jobId: '0197a3b2-7c1d-7abc-8def-0123456789ab' })).toMatchObject({ ok: false, code: 'JOB.NOT_FOUND' });
  });
}
