import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupRecord } from '../../format/backup-record';
import { largeState } from '../../format/testing/generated-state';
import { detectBackupFormat } from '../detect-backup-format';
import { writeBackupData } from '../export-backup-data';
import { writeGlobeProject } from '../export-globe-project';
import { readBackupData } from '../read-backup-data';
import { readGlobeProject } from '../read-globe-project';

/**
 * Exports `locations` lazily generated locations to one JSON format, detects it and reads it back,
 * sampling the live heap (after a forced collection) every `every` records, and prints one JSON line
 * of what it saw: wall times per phase, and the CPU time of export plus import (which other load on
 * the machine does not inflate). Run by foreign-memory.int-spec.ts in a child process started with --expose-gc, on
 * a heap of its own and outside jest's VM context (see format/testing/memory-probe.ts).
 */
const FORMATS = {
  'globe-project': { write: writeGlobeProject, read: readGlobeProject },
  'backup-data': { write: writeBackupData, read: readBackupData },
};

async function main(dir: string, format: keyof typeof FORMATS, locations: number, every: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = 0;
  const sample = () => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
  };
  async function* sampled(records: Iterable<BackupRecord>) {
    let n = 0;
    for (const record of records) {
      if (++n % every === 0) sample();
      yield record;
    }
  }
  const path = join(dir, `${format}.json`);
  const { write, read } = FORMATS[format];
  const cpuAtStart = process.cpuUsage();
  const writeStarted = performance.now();
  await write(sampled(largeState(locations)), createWriteStream(path), { timestamp: '2025-01-01T00:00:00.000Z', appVersion: 'probe' });
  const writeMs = performance.now() - writeStarted;
  const writeCpu = process.cpuUsage(cpuAtStart);
  const detectStarted = performance.now();
  const detected = await detectBackupFormat(path);
  const detectMs = performance.now() - detectStarted;
  const cpuAtRead = process.cpuUsage();
  const readStarted = performance.now();
  let readLocations = 0;
  let lastId = '';
  for await (const record of read(path, { datasetId: 'restored', datasetName: 'Restored', now: '2025-01-01T00:00:00.000Z' })) {
    if (record.t !== 'location') continue;
    if (++readLocations % every === 0) sample();
    lastId = record.v.id > lastId ? record.v.id : lastId;
  }
  const readMs = performance.now() - readStarted;
  const readCpu = process.cpuUsage(cpuAtRead);
  const cpuMs = (writeCpu.user + writeCpu.system + readCpu.user + readCpu.system) / 1000;
  const result = { detected, locations: readLocations, lastId, fileBytes: (await stat(path)).size, peakHeapGrowth: peak, writeMs, detectMs, readMs, cpuMs };
  process.stdout.write(JSON.stringify(result) + '\n');
}

const [dir, format, locations, every] = process.argv.slice(2);
main(dir, format as keyof typeof FORMATS, Number(locations), Number(every)).catch((error) => {
  console.error(error);
  process.exit(1);
});
