import request from 'supertest';
import { expectNeverBackwards, expectWellFormedStream } from './support/progress-assertions';
import { ProgressClient } from './support/progress-client';
import { startInstance, TestInstance } from './support/gateway-test-app';
import { STEP_MS, sleep, startControlledJob } from './support/synthetic-jobs';

describe('progress gateway: connections, cancellation and bad requests', () => {
  let instance: TestInstance;
  const clients: ProgressClient[] = [];
  const connect = async () => {
    const client = await ProgressClient.connect(instance.url);
    clients.push(client);
    return client;
  };
  const http = () => request(instance.app.getHttpServer());

  beforeAll(async () => {
    instance = await startInstance();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => instance.close());

  it('after a disconnect mid-job, a re-subscribe gets the current state, then the final event once', async () => {
    const job = await startControlledJob(instance.runner);
    job.progress({ total: 10, done: 1 });
    const client = await connect();
    await client.subscribe({ jobId: job.id });
    job.progress({ done: 2 });
    await client.waitFor((r) => r.job.id === job.id && r.job.done === 2);

    client.socket.disconnect();
    job.progress({ done: 6 });
    await sleep(STEP_MS);
    const before = client.eventsFor(job.id).length;
    client.socket.connect();
    await client.connected();
    await client.subscribe({ jobId: job.id });
    const afterReconnect = () => client.eventsFor(job.id).slice(before);
    expect(afterReconnect().map((r) => r.event)).toEqual(['job.state']);
    expect(afterReconnect()[0].job.done).toBe(6);

    job.progress({ done: 10 });
    await sleep(STEP_MS);
    job.complete();
    await client.waitForFinal(job.id);
    await client.settle();
    const { final } = expectWellFormedStream(afterReconnect(), job.id);
    expect(final.job.done).toBe(10);
    expectNeverBackwards(client.eventsFor(job.id).map((r) => r.job));
  });

  it('a job cancelled with POST /api/jobs/:id/cancel ends with one job.cancelled', async () => {
    const job = await startControlledJob(instance.runner, 'import');
    job.progress({ total: 100, done: 40 });
    const client = await connect();
    await client.subscribe({ jobId: job.id });
    const other = await connect();
    await other.subscribe({});

    await http().post(`/api/jobs/${job.id}/cancel`).expect(202);
    await client.waitForFinal(job.id);
    await other.waitForFinal(job.id);
    await client.settle();
    await other.settle();

    const { final } = expectWellFormedStream(client.received, job.id);
    expect(final.event).toBe('job.cancelled');
    expect(final.job).toMatchObject({ state: 'cancelled', done: 40, error: { code: 'JOB.CANCELLED' } });
    expect(final.job).toEqual((await http().get(`/api/jobs/${job.id}`).expect(200)).body);
    expect(other.namesFor(job.id).filter((name) => name === 'job.cancelled')).toHaveLength(1);
  });

  it('refuses a bad subscribe with GATEWAY.INVALID_SUBSCRIPTION, on the ack or as an error event, and keeps serving', async () => {
    const client = await connect();
    const badPayloads = [{ jobId: 42 }, { jobId: 'not-a-uuid' }, { kind: 'nonsense' }, { kind: 'import', jobId: '0197a3b2-7c1d-7abc-8def-0123456789ab' }, { room: 'all' }, 'all', null, [1, 2]];
    for (const payload of badPayloads) {
      expect(await client.subscribe(payload)).toEqual({ ok: false, code: 'GATEWAY.INVALID_SUBSCRIPTION', message: expect.any(String) });
    }
    expect(await client.unsubscribe({ kind: 'nonsense' })).toMatchObject({ ok: false, code: 'GATEWAY.INVALID_SUBSCRIPTION' });

    client.socket.emit('subscribe', { jobId: 42 });
    client.socket.emit('subscribe');
    await client.settle();
    expect(client.errors).toEqual([
      { code: 'GATEWAY.INVALID_SUBSCRIPTION', message: expect.stringContaining('jobId') },
      { code: 'GATEWAY.INVALID_SUBSCRIPTION', message: expect.any(String) },
    ]);

    expect(await client.subscribe({ jobId: '0197a3b2-7c1d-7abc-8def-0123456789ab' })).toMatchObject({ ok: false, code: 'JOB.NOT_FOUND' });

    const job = await startControlledJob(instance.runner);
    expect(await client.subscribe({ jobId: job.id })).toEqual({ ok: true });
    job.complete();
    await client.waitForFinal(job.id);
    expect(client.socket.connected).toBe(true);
    await http().get(`/api/jobs/${job.id}`).expect(200);
  });

  it('after unsubscribe, a socket receives nothing more for that subscription', async () => {
    const job = await startControlledJob(instance.runner);
    const client = await connect();
    await client.subscribe({ jobId: job.id });
    expect(await client.unsubscribe({ jobId: job.id })).toEqual({ ok: true });
    const watcher = await connect();
    await watcher.subscribe({ jobId: job.id });

    job.progress({ total: 1, done: 1 });
    await sleep(STEP_MS);
    job.complete();
    await watcher.waitForFinal(job.id);
    await client.settle();

    expect(client.namesFor(job.id)).toEqual(['job.state']);
  });
});
