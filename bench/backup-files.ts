import { closeSync, copyFileSync, createReadStream, createWriteStream, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import { ServerProcess } from './server-process';
import { BROTLI_QUALITY, GZIP_LEVEL } from '../src/backups/format/payload-compression';

/**
 * Helpers of bench/backup.bench.ts: what a backup file says about itself, streamed downloads that
 * count bytes without holding them, and the limits the backup is compared with (the physical copy of
 * the same data by SQLite and by the file system, and the codecs and JSON parsing on their own).
 */

/** The manifest of a native backup file (`GVBK…` magic line, manifest line, checksum line), read from disk. */
export function readManifest(path: string): { manifest: any; payloadOffset: number } {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(statSync(path).size, 1024 * 1024 + 200));
    readSync(fd, head, 0, head.length, 0);
    const first = head.indexOf(0x0a);
    const second = head.indexOf(0x0a, first + 1);
    const third = head.indexOf(0x0a, second + 1);
    if (first < 0 || second < 0 || third < 0) throw new Error(`${path}: no three header lines`);
    return { manifest: JSON.parse(head.subarray(first + 1, second).toString('utf8')), payloadOffset: third + 1 };
  } finally {
    closeSync(fd);
  }
}

/** GET `path` streamed: its size in bytes and the wall time to the last byte; the body is counted, never kept. */
export async function countGet(server: ServerProcess, path: string): Promise<{ bytes: number; ms: number }> {
  const start = performance.now();
  const res = await fetch(`${server.url}${path}`, { headers: { 'x-actor': 'bench' } });
  if (res.status !== 200 || !res.body) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return { bytes, ms: performance.now() - start };
}

/** GET `path` streamed to the file `out`. */
export async function download(server: ServerProcess, path: string, out: string): Promise<{ bytes: number; ms: number }> {
  const start = performance.now();
  const res = await fetch(`${server.url}${path}`, { headers: { 'x-actor': 'bench' } });
  if (res.status !== 200 || !res.body) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(out));
  return { bytes: statSync(out).size, ms: performance.now() - start };
}

export interface LimitRow {
  what: string;
  file: string;
  bytes: number;
  ms: number;
}

/**
 * The physical limit: the server's SQLite files copied while it idles, by `VACUUM INTO` and by the
 * online backup API on a read-only connection of this process (as a backup would read them: in one
 * read transaction, WAL included), and by a plain file copy (`copyFileSync`, the main file and its
 * WAL; the kernel's copy, the floor of any copy). None of them fsyncs its output (the backup
 * fsyncs its file twice: assembled, and stored).
 */
export async function physicalLimits(dataDir: string, scratchDir: string): Promise<LimitRow[]> {
  const rows: LimitRow[] = [];
  for (const file of ['read-models.sqlite', 'events.sqlite']) {
    const src = join(dataDir, file);
    const db = new Database(src, { readonly: true, fileMustExist: true });
    try {
      const vacuumOut = join(scratchDir, `vacuum-${file}`);
      let start = performance.now();
      db.prepare('VACUUM INTO ?').run(vacuumOut);
      rows.push({ what: 'VACUUM INTO (read-only connection)', file, bytes: statSync(vacuumOut).size, ms: performance.now() - start });
      rmSync(vacuumOut, { force: true });

      const backupOut = join(scratchDir, `backup-api-${file}`);
      start = performance.now();
      // 16,384 pages (64 MiB at 4 KiB pages) per step: the default 100 would measure the event loop, not the copy.
      await db.backup(backupOut, { progress: () => 16_384 });
      rows.push({ what: 'online backup API (better-sqlite3 db.backup)', file, bytes: statSync(backupOut).size, ms: performance.now() - start });
      rmSync(backupOut, { force: true });
    } finally {
      db.close();
    }

    const copyOut = join(scratchDir, `copy-${file}`);
    let bytes = 0;
    const start = performance.now();
    for (const suffix of ['', '-wal']) {
      if (!existsSync(src + suffix)) continue;
      copyFileSync(src + suffix, copyOut + suffix);
      bytes += statSync(copyOut + suffix).size;
    }
    rows.push({ what: 'plain file copy (copyFileSync, file + WAL)', file, bytes, ms: performance.now() - start });
    rmSync(copyOut, { force: true });
    rmSync(`${copyOut}-wal`, { force: true });
  }
  return rows;
}

export interface CodecRow {
  what: string;
  rawBytes: number;
  outBytes: number;
  ms: number;
  cpuMs: number;
}

/**
 * The codecs alone, in this process, on the NDJSON payload of an uncompressed backup (`none`):
 * gzip and brotli at the levels the backup writes them (GZIP_LEVEL, BROTLI_QUALITY) in 64 KiB chunks (zlib on the thread pool, one
 * stream), and the reading side's floor: the NDJSON split into lines and JSON.parse'd.
 */
export async function codecLimits(nonePath: string, payloadOffset: number): Promise<CodecRow[]> {
  const rows: CodecRow[] = [];
  const CHUNK = 64 * 1024;
  const rawBytes = statSync(nonePath).size - payloadOffset;
  const codecs: [string, () => NodeJS.ReadWriteStream][] = [
    [`gzip level ${GZIP_LEVEL}, 64 KiB chunks (as writePayload)`, () => createGzip({ level: GZIP_LEVEL, chunkSize: CHUNK })],
    [
      `brotli quality ${BROTLI_QUALITY}, text mode (as writePayload)`,
      () =>
        createBrotliCompress({
          chunkSize: CHUNK,
          params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
        }),
    ],
  ];
  for (const [what, make] of codecs) {
    let outBytes = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await pipeline(
      createReadStream(nonePath, { start: payloadOffset, highWaterMark: CHUNK }),
      make(),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          outBytes += chunk.length;
          done();
        },
      }),
    );
    const d = process.cpuUsage(cpu);
    rows.push({ what, rawBytes, outBytes, ms: performance.now() - start, cpuMs: (d.user + d.system) / 1000 });
  }

  // The NDJSON read back: lines split and JSON.parse'd (no validation, no SQLite).
  {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let rest = '';
    let records = 0;
    for await (const chunk of createReadStream(nonePath, { start: payloadOffset, highWaterMark: 1024 * 1024, encoding: 'utf8' })) {
      const text = rest + (chunk as string);
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        JSON.parse(text.slice(from, nl));
        records += 1;
        from = nl + 1;
      }
      rest = text.slice(from);
    }
    const d = process.cpuUsage(cpu);
    rows.push({ what: `NDJSON split + JSON.parse (${records.toLocaleString('en-US')} records)`, rawBytes, outBytes: 0, ms: performance.now() - start, cpuMs: (d.user + d.system) / 1000 });
  }
  return rows;
}

/**
 * The logical floor of writing the state: every location read by id from the read models (a
 * read-only connection, one transaction, `.iterate()`) and JSON.stringify'd as a backup line,
 * counted, not written. What the backup adds over it: validation, the state hash, the codec, the
 * file, and the events.
 */
export function bareStateDump(dataDir: string): { records: number; bytes: number; ms: number; cpuMs: number } {
  const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let records = 0;
    let bytes = 0;
    db.exec('BEGIN');
    const rows = db
      .prepare('SELECT id, dataset_id AS datasetId, name, latitude, longitude, quantity, properties, created_at, updated_at FROM locations ORDER BY id')
      .iterate() as IterableIterator<Record<string, unknown>>;
    for (const row of rows) {
      row.properties = JSON.parse(row.properties as string);
      const line = JSON.stringify({ t: 'location', v: row });
      bytes += line.length + 1;
      records += 1;
    }
    db.exec('COMMIT');
    const d = process.cpuUsage(cpu);
    return { records, bytes, ms: performance.now() - start, cpuMs: (d.user + d.system) / 1000 };
  } finally {
    db.close();
  }
}

/** Waits until `check` holds, polling every `intervalMs`; throws after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
