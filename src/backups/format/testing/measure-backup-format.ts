import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Compression } from '../backup-manifest';
import { openBackup } from '../read-backup-records';
import { verifyBackup } from '../verify-backup';
import { writeBackupFile } from '../write-backup-file';
import { asAsync, INFO, largeState } from './generated-state';

/**
 * Measures the native format on generated locations: write and read throughput and file size per
 * codec, against the raw NDJSON and a plain JSON array of the same locations. Not a test; run with
 *   node -r @swc-node/register src/backups/format/testing/measure-backup-format.ts [locations]
 */
async function main(locations: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gv-measure-'));
  let plainJson = 2;
  for (const record of largeState(locations)) if (record.t === 'location') plainJson += JSON.stringify(record.v).length + 1;
  console.log(`${locations} locations; plain JSON array ≈ ${mb(plainJson)} MB`);
  try {
    for (const [compression, passphrase] of [['none'], ['gzip'], ['brotli'], ['gzip', 'pass phrase']] as [Compression, string?][]) {
      const path = join(dir, `${compression}.gvb`);
      let t0 = performance.now();
      const manifest = await writeBackupFile(asAsync(largeState(locations)), { ...INFO, includesHistory: false }, path, { compression, passphrase, tmpDir: dir });
      const writeS = (performance.now() - t0) / 1000;
      const size = (await stat(path)).size;
      t0 = performance.now();
      const { records } = await openBackup(createReadStream(path), { passphrase });
      let n = 0;
      for await (const record of records) n += record ? 1 : 0;
      const readS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const report = await verifyBackup(createReadStream(path), { passphrase });
      const verifyS = (performance.now() - t0) / 1000;
      const raw = manifest.payload.rawBytes;
      console.log(
        [
          `${compression}${passphrase ? '+aes' : ''}`.padEnd(10),
          `size ${mb(size)} MB = ${pct(size, raw)} of NDJSON, ${pct(size, plainJson)} of plain JSON`,
          `write ${rate(n, writeS)} rec/s ${mb(raw / writeS)} MB/s`,
          `read ${rate(n, readS)} rec/s ${mb(raw / readS)} MB/s`,
          `verify ${verifyS.toFixed(2)} s ${report.ok ? 'ok' : 'FAILED'}`,
        ].join(' | '),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en');

void main(Number(process.argv[2] ?? 200_000));
