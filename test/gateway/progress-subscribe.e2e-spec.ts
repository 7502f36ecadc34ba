import { filter, firstValueFrom } from 'rxjs';
import request from 'supertest';
import { AppError } from '../../src/common/app-error';
import { expectWellFormedStream } from './support/progress-assertions';
import { ProgressClient } from './support/progress-client';
import { startInstance, TestInstance } from './support/gateway-test-app';
import { STEP_MS, sleep, startControlledJob } from './support/synthetic-jobs';

describe('progress gateway: subscribing', () => {
  let instance: TestInstance;
  const clients: ProgressClient[] = [];
  const connect = async () => {
    const client = await ProgressClient.connect(instance.url);
    clients.push(client);
    return client;
  };
  const getJob = async (id: string) => (await request(instance.app.getHttpServer()).get(`/api/jobs/${id}`).expect(200)).body;

  beforeAll(async () => {
    instance = await startInstance();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => instance.close());

  it('by jobId: job.state, then job.progress with done rising, rate and ETA, then one job.completed equal to GET /api/jobs/:id', async () => {
    const job = await startControlledJob(instance.runner, 'import');
    job.progress({ phase: 'reading', total: 5, done: 0 });
    await sleep(STEP_MS); // let JobRunner's throttle flush, so the answer below is all the client has
    const client = await connect();

    expect(await client.subscribe({ jobId: job.id })).toEqual({ ok: true });
    expect(client.namesFor(job.id)).toEqual(['job.state']);
    for (let done = 1; done <= 5; done++) {
      job.progress({ done });
      await sleep(STEP_MS);
    }
    job.complete({ rows: 5 });
    await client.waitForFinal(job.id);
    await client.settle();

    const { state, progress, final } = expectWellFormedStream(client.received, job.id);
    expect(state).toMatchObject({ state: 'running', total: 5 });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.map((view) => view.done)).toContain(5);
    for (const view of progress.filter((v) => v.done > 0)) {
      expect(view.rate).toEqual(expect.any(Number));
      expect(view.etaSeconds).toEqual(expect.any(Number));
    }
    expect(final.event).toBe('job.completed');
    expect(final.job).toMatchObject({ state: 'completed', done: 5, total: 5, result: { rows: 5 } });
    expect(final.job).toEqual(await getJob(job.id));
  });

  it('keeps an unknown total null, with no ETA, while reporting throughput', async () => {
    const job = await startControlledJob(instance.runner);
    const client = await connect();
    await client.subscribe({ jobId: job.id });
    job.progress({ phase: 'streaming', done: 10 });
    await sleep(STEP_MS);
    job.progress({ done: 20 });
    job.complete();
    await client.waitForFinal(job.id);

    const progressed = client.eventsFor(job.id).filter((r) => r.job.done > 0);
    expect(progressed.length).toBeGreaterThanOrEqual(1);
    for (const { job: view } of progressed) {
      expect(view.total).toBeNull();
      expect(view.etaSeconds).toBeNull();
      expect(view.rate).toEqual(expect.any(Number));
    }
  });

  it('ends a failed job with one job.failed carrying its error code', async () => {
    const job = await startControlledJob(instance.runner);
    const client = await connect();
    await client.subscribe({ jobId: job.id });
    job.fail(new AppError('SNAPSHOT.BROKEN', 'the snapshot could not be written', 500));
    await client.waitForFinal(job.id);
    await client.settle();

    const { final } = expectWellFormedStream(client.received, job.id);
    expect(final.event).toBe('job.failed');
    expect(final.job.error).toMatchObject({ code: 'SNAPSHOT.BROKEN' });
    expect(final.job).toEqual(await getJob(job.id));
  });

  it('answers a late subscriber to a finished job with its state and its final event, once', async () => {
    const job = await startControlledJob(instance.runner);
    const ended = firstValueFrom(instance.runner.updates$.pipe(filter((view) => view.id === job.id && view.state === 'completed')));
    // Ending in the very turn it started: the job's stored record must still end up final.
    job.complete({ ok: 1 });
    await ended;
    const client = await connect();

    expect(await client.subscribe({ jobId: job.id })).toEqual({ ok: true });
    await client.settle();

    expect(client.namesFor(job.id)).toEqual(['job.state', 'job.completed']);
    expect(client.eventsFor(job.id)[0].job).toMatchObject({ state: 'completed', result: { ok: 1 } });
    expect(client.eventsFor(job.id)[1].job).toEqual(await getJob(job.id));
  });

  it('by kind: the jobs of that kind only, starting with the state of those already running', async () => {
    const running = await startControlledJob(instance.runner, 'backup');
    running.progress({ total: 2, done: 1 });
    await sleep(STEP_MS);
    const client = await connect();
    await client.subscribe({ kind: 'backup' });
    const other = await startControlledJob(instance.runner, 'restore');
    const next = await startControlledJob(instance.runner, 'backup');
    for (const job of [running, other, next]) job.complete();
    await client.waitForFinal(running.id);
    await client.waitForFinal(next.id);
    await client.settle();

    expect(client.namesFor(running.id)).toEqual(['job.state', 'job.completed']);
    expect(client.eventsFor(running.id)[0].job).toMatchObject({ state: 'running', done: 1, total: 2 });
    // A job that began after the subscribe also opens with its state.
    expectWellFormedStream(client.received, next.id);
    expect(client.namesFor(next.id).at(-1)).toBe('job.completed');
    expect(client.eventsFor(other.id)).toEqual([]);
  });

  it('with {}: every job', async () => {
    const client = await connect();
    expect(await client.subscribe({})).toEqual({ ok: true });
    const backup = await startControlledJob(instance.runner, 'backup');
    const compaction = await startControlledJob(instance.runner, 'compaction');
    backup.complete();
    compaction.complete();
    await client.waitForFinal(backup.id);
    await client.waitForFinal(compaction.id);
    await client.settle();

    expect(client.namesFor(backup.id).filter((name) => name === 'job.completed')).toHaveLength(1);
    expect(client.namesFor(compaction.id).filter((name) => name === 'job.completed')).toHaveLength(1);
  });

  it('sends each update and the final event once to a socket subscribed by jobId, by kind and to all', async () => {
    const job = await startControlledJob(instance.runner, 'verify');
    const client = await connect();
    await client.subscribe({ jobId: job.id });
    await client.subscribe({ kind: 'verify' });
    await client.subscribe({});
    for (let done = 1; done <= 3; done++) {
      job.progress({ total: 3, done });
      await sleep(STEP_MS);
    }
    job.complete();
    await client.waitForFinal(job.id);
    await client.settle();

    const events = client.eventsFor(job.id);
    expect(events.filter((r) => r.event === 'job.completed')).toHaveLength(1);
    expect(events.at(-1)?.event).toBe('job.completed');
    const progress = events.filter((r) => r.event === 'job.progress').map((r) => r.job.updatedAt);
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });
});
