import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupRecord } from '../backup-record';
import { openBackup } from '../read-backup-records';
import { writeBackupFile } from '../write-backup-file';
import { INFO, largeState } from './generated-state';

/**
 * Writes and reads back `locations` generated locations, sampling live memory (after a forced
 * collection) every `every` records, and prints one JSON line of what it saw. Run by
 * backup-memory.int-spec.ts in a child process started with --expose-gc: outside jest's VM
 * context, whose global lookups make this workload ~8x slower, and on a heap of its own.
 */
async function main(dir: string, locations: number, every: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // The JS heap and the memory of Buffers outside it, where held payload bytes would be.
  const used = () => {
    const { heapUsed, external } = process.memoryUsage();
    return heapUsed + external;
  };
  gc();
  const baseline = used();
  let peak = 0;
  const sample = () => {
    gc();
    peak = Math.max(peak, used() - baseline);
  };
  async function* sampled(records: Iterable<BackupRecord>) {
    let n = 0;
    for (const record of records) {
      if (++n % every === 0) sample();
      yield record;
    }
  }
  const path = join(dir, 'large.gvb');
  let started = performance.now();
  const manifest = await writeBackupFile(sampled(largeState(locations)), { ...INFO, includesHistory: false }, path, { compression: 'gzip', tmpDir: dir });
  const writeMs = performance.now() - started;
  started = performance.now();
  const { records } = await openBackup(createReadStream(path));
  let read = 0;
  for await (const record of records) if (++read % every === 0 && record) sample();
  const readMs = performance.now() - started;
  const result = { records: read, locations: manifest.counts.locations, rawBytes: manifest.payload.rawBytes, fileBytes: (await stat(path)).size, peakMemoryGrowth: peak, writeMs, readMs };
  process.stdout.write(JSON.stringify(result) + '\n');
}

const [dir, locations, every] = process.argv.slice(2);
main(dir, Number(locations), Number(every)).catch((error) => {
  console.error(error);
  process.exit(1);
});
