import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const LOCATIONS = 200_000;
const MB = 1024 * 1024;

/**
 * Memory stays flat: 200k lazily generated locations (~60 MB of JSON) are exported to each JSON
 * format and read back while the live heap, measured after a forced collection every 25k records,
 * grows by less than 16 MB. An exporter or reader that held the locations or the document would grow
 * with the data (and crash the child's heap, capped at 192 MB). The work runs in a child process
 * (testing/foreign-memory-probe.ts), outside jest's VM context, which slows such loops severalfold.
 * Speed is not asserted here: export throughput is a ratio in `npm run bench -- backup`
 * (BENCHMARKS.md), because CPU time on a shared machine still varies severalfold between runs.
 */
describe('foreign formats at scale', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-foreign-memory-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(['globe-project', 'backup-data'])('exports and reads back 200k locations as %s with a flat heap', async (format) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=192', '-r', '@swc-node/register', join(__dirname, 'testing/foreign-memory-probe.ts'), dir, format, String(LOCATIONS), '25000'],
      { cwd: join(__dirname, '../../..'), timeout: 60_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ detected: format, locations: LOCATIONS, lastId: expect.stringMatching(/^00199999-/) });
    expect(result.fileBytes).toBeGreaterThan(50e6);
    expect(result.peakHeapGrowth).toBeLessThan(16 * MB);
  });
});
