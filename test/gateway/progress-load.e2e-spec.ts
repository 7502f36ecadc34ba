import { expectWellFormedStream } from './support/progress-assertions';
import { ProgressClient } from './support/progress-client';
import { startInstance, TestInstance } from './support/gateway-test-app';
import { sleep, STEP_MS, startControlledJob, startPacedJob } from './support/synthetic-jobs';

describe('progress gateway: throttling and load', () => {
  let instance: TestInstance;
  const clients: ProgressClient[] = [];

  beforeAll(async () => {
    instance = await startInstance();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => instance.close());

  it('turns 10,000 progress reports in about 1 s into at most ~15 job.progress events, final included', async () => {
    const client = await ProgressClient.connect(instance.url);
    clients.push(client);
    // Subscribed to all and to the kind as well: overlapping subscriptions must not multiply events.
    await client.subscribe({});
    await client.subscribe({ kind: 'rebuild' });
    const started = Date.now();
    const job = await startPacedJob(instance.runner, { kind: 'rebuild', updates: 10_000, durationMs: 1000 });

    const final = await client.waitForFinal(job.id);
    await client.settle();
    const elapsedMs = Date.now() - started;

    const progress = client.eventsFor(job.id).filter((r) => r.event === 'job.progress');
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThanOrEqual(15);
    expect(final).toMatchObject({ event: 'job.completed', job: { done: 10_000, total: 10_000, etaSeconds: 0 } });
    expect(client.namesFor(job.id).filter((name) => name === 'job.completed')).toHaveLength(1);
  });

  it('delivers the final event to each of 200 clients watching one job', async () => {
    const job = await startControlledJob(instance.runner, 'import');
    job.progress({ total: 3, done: 0 });
    const started = Date.now();
    const watchers = await Promise.all(Array.from({ length: 200 }, () => ProgressClient.connect(instance.url)));
    clients.push(...watchers);
    const acks = await Promise.all(watchers.map((client) => client.subscribe({ jobId: job.id })));
    expect(acks.every((ack) => ack.ok)).toBe(true);

    for (let done = 1; done <= 3; done++) {
      job.progress({ done });
      await sleep(STEP_MS);
    }
    job.complete({ rows: 3 });
    await Promise.all(watchers.map((client) => client.waitForFinal(job.id, 15_000)));
    await Promise.all(watchers.map((client) => client.settle(0)));

    for (const client of watchers) {
      const { final } = expectWellFormedStream(client.received, job.id);
      expect(final.job).toMatchObject({ state: 'completed', done: 3 });
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
