import { PassThrough, Transform } from 'node:stream';
import { constants, createBrotliCompress, createBrotliDecompress, createGunzip, createGzip } from 'node:zlib';
import { Compression } from './backup-manifest';

/**
 * Levels picked by measurement, streaming 64 KiB chunks of 200k generated locations (69.5 MB NDJSON)
 * on one core; size as a share of the NDJSON:
 *   gzip   1: 19.7% 140 MB/s | 3: 18.4% 124 MB/s | 6: 17.0% 83 MB/s | 9: 16.2% 48 MB/s
 *   brotli 1: 19.0% 243 MB/s | 3: 17.8% 114 MB/s | 4: 17.5% 85 MB/s | 5: 16.6% 40 MB/s
 * Gzip was at 6 while records were produced at ~20-30 MB/s on the main thread and zlib ran beside
 * it for free. Since the writer's checks moved to a thread of their own, both cores are busy during
 * a backup and every CPU second counts: on the benchmark's NDJSON (1,000,000 locations with their
 * history, 150 MB sample, CPU s per 100 MB and size as a share of the NDJSON) gzip 1: 0.24 s 11.4%,
 * 2: 0.25 s 11.0%, 3: 0.30 s 10.6%, 6: 0.54 s 9.5%. Level 2 halves gzip's CPU (~1.8 s less for a
 * million locations) for a file ~16% larger (still ~23% of the plain JSON export, the target being
 * 35%). Brotli at its fast qualities is no smaller than gzip 6 when streamed; 4 matches gzip 6's
 * cost, 5 halves the speed for 2.4% less. Readers need no level.
 */
export const GZIP_LEVEL = 2;
export const BROTLI_QUALITY = 4;
const CHUNK = 64 * 1024;

export function compressor(compression: Compression): Transform {
  switch (compression) {
    case 'gzip':
      return createGzip({ level: GZIP_LEVEL, chunkSize: CHUNK });
    case 'brotli':
      return createBrotliCompress({
        chunkSize: CHUNK,
        params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
      });
    case 'none':
      return new PassThrough();
  }
}

/** `chunkSize`: the most output of one decompression step (default 64 KiB). */
export function decompressor(compression: Compression, chunkSize = CHUNK): Transform {
  switch (compression) {
    case 'gzip':
      return createGunzip({ chunkSize });
    case 'brotli':
      return createBrotliDecompress({ chunkSize });
    case 'none':
      return new PassThrough();
  }
}
