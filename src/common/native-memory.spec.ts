import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NativeMemory } from './native-memory';

/** glibc's malloc_trim exists on the Linux machines this service runs and is tested on. */
const glibc = process.platform === 'linux' && !!(process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })?.header?.glibcVersionRuntime;

describe('NativeMemory', () => {
  (glibc ? it : it.skip)('hands freed native memory back to the OS', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'testing/fragmented-heap-probe.ts')],
      { cwd: join(__dirname, '../..'), timeout: 60_000, env: { ...process.env, MALLOC_ARENA_MAX: '2' } },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ available: true, released: true });
    // free() alone leaves the ~146 MiB resident; the release returns it.
    expect(result.allocated - result.freed).toBeLessThan(20);
    expect(result.freed - result.afterRelease).toBeGreaterThan(100);
  });

  (glibc ? it : it.skip)('batches releases asked for in a burst into one', async () => {
    const release = jest.spyOn(NativeMemory, 'release');
    try {
      for (let i = 0; i < 5; i++) NativeMemory.releaseSoon(10);
      await new Promise((r) => setTimeout(r, 60));
      expect(release).toHaveBeenCalledTimes(1);
    } finally {
      release.mockRestore();
    }
  });
});
