import { SnapshotLease } from './snapshot-lease';

const tick = () => new Promise((r) => setImmediate(r));

describe('SnapshotLease', () => {
  it('lets readers share it and keeps the exclusive holder waiting until they are all done', async () => {
    const lease = new SnapshotLease();
    const log: string[] = [];
    let releaseReader!: () => void;
    const reader = lease.shared(() => new Promise<void>((r) => (releaseReader = r)).then(() => log.push('reader done')));
    const second = lease.shared(async () => log.push('second reader ran'));
    await tick();
    const writer = lease.exclusive(async () => log.push('compaction ran'));
    const late = lease.shared(async () => log.push('late reader ran'));
    await tick();
    expect(log).toEqual(['second reader ran']);
    releaseReader();
    await Promise.all([reader, second, writer, late]);
    expect(log).toEqual(['second reader ran', 'reader done', 'compaction ran', 'late reader ran']);
  });

  it('releases on failure', async () => {
    const lease = new SnapshotLease();
    await expect(lease.exclusive(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lease.shared(async () => 'ok')).resolves.toBe('ok');
  });
});
