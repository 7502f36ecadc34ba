import { KeyedQueue } from './keyed-queue';

describe('KeyedQueue', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs the work of one key one at a time, in order, and of different keys side by side', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const job = (key: string, name: string) => queue.run(key, async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      return name;
    });
    const results = await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1')]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('goes on after a failure, and forgets a key once its work is done', async () => {
    const queue = new KeyedQueue();
    await expect(queue.run('a', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(queue.run('a', async () => 'yes')).resolves.toBe('yes');
    await tick();
    expect((queue as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});
