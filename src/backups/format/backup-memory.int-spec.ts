import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const LOCATIONS = 200_000;
const MB = 1024 * 1024;

/**
 * Memory stays flat: 200k locations (~70 MB of NDJSON) are written and read back while live memory
 * (JS heap and Buffers), measured after a forced collection every 25k records, grows by less than 16 MB. A writer or
 * reader that held the records, the lines or the payload would grow with the data. The work runs
 * in a child process (testing/memory-probe.ts) on a heap of its own, capped at 192 MB (the TypeScript loader needs a burst at start-up) so that
 * holding the data would not just be measured but crash it.
 */
describe('native backup memory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-memory-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes and reads 200k lazily generated locations with flat memory', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=192', '-r', '@swc-node/register', join(__dirname, 'testing/memory-probe.ts'), dir, String(LOCATIONS), '25000'],
      { cwd: join(__dirname, '../../..'), timeout: 60_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ records: LOCATIONS + 3, locations: LOCATIONS });
    expect(result.rawBytes).toBeGreaterThan(60e6);
    expect(result.fileBytes).toBeLessThan(result.rawBytes * 0.35);
    expect(result.peakMemoryGrowth).toBeLessThan(16 * MB);
    expect(await readdir(dir)).toEqual(['large.gvb']);
  });
});
