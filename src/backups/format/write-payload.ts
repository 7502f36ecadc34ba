import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Compression, RecordCounts } from './backup-manifest';
import { BackupRecord, RecordLines } from './backup-record';
import { NdjsonCheckThread } from './ndjson-check-thread';
import { compressor } from './payload-compression';
import { sealStream } from './payload-cipher';
import { PayloadKey } from './payload-key';

export interface WrittenPayload {
  counts: RecordCounts;
  stateHash: string;
  rawBytes: number;
  bytes: number;
  sha256: string;
}

export interface PayloadOptions {
  compression: Compression;
  key: PayloadKey | null;
  includesHistory: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { records: number; rawBytes: number }) => void;
}

const BATCH_CHARS = 64 * 1024;

/**
 * Streams `records` as NDJSON → compressed → sealed into a new file at `path`. Every line is checked
 * as a reader will check it (schema, order, UTF-8, length) by a check thread fed the same bytes,
 * which also measures what the manifest needs (counts, state hash) and decodes the stored bytes
 * back to compare them with the NDJSON (PayloadRoundTrip); the promise resolves only once every
 * line passed (else BACKUP.RECORD_NOT_WRITABLE for the first that did not) and the stored bytes
 * decoded to exactly the NDJSON (else BACKUP.CHECKSUM_MISMATCH): the manifest's sha256 then names
 * bytes known to decode to checked records. Holds
 * one batch of lines at a time (and up to a few MiB queued for the check thread). The file is not
 * fsynced: it is a temporary copy the backup file is built from.
 */
export async function writePayload(records: AsyncIterable<BackupRecord | RecordLines>, path: string, options: PayloadOptions): Promise<WrittenPayload> {
  const check = new NdjsonCheckThread({ includesHistory: options.includesHistory, compression: options.compression, key: options.key });
  const raw = { records: 0, rawBytes: 0 };
  const stored = { bytes: 0, hash: createHash('sha256') };
  try {
    await pipeline(
      Readable.from(ndjsonBatches(records, check, raw, options)),
      compressor(options.compression),
      ...(options.key ? [sealStream(options.key)] : []),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          stored.bytes += chunk.length;
          stored.hash.update(chunk);
          check.stored(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(path, { flags: 'wx' }),
      { signal: options.signal },
    );
    const facts = await check.finish();
    return { counts: facts.counts, stateHash: facts.stateHash, rawBytes: facts.rawBytes, bytes: stored.bytes, sha256: stored.hash.digest('hex') };
  } finally {
    await check.close();
  }
}

async function* ndjsonBatches(
  records: AsyncIterable<BackupRecord | RecordLines>,
  check: NdjsonCheckThread,
  raw: { records: number; rawBytes: number },
  { signal, onProgress }: PayloadOptions,
): AsyncGenerator<Buffer> {
  let batch = '';
  const flush = async () => {
    const bytes = Buffer.from(batch, 'utf8');
    raw.rawBytes += bytes.length;
    batch = '';
    await check.push(bytes);
    onProgress?.({ records: raw.records, rawBytes: raw.rawBytes });
    return bytes;
  };
  for await (const item of records) {
    signal?.throwIfAborted();
    if ('ndjson' in item) {
      batch += item.ndjson;
      raw.records += item.records;
    } else {
      batch += JSON.stringify(item) + '\n';
      raw.records += 1;
    }
    if (batch.length >= BATCH_CHARS) yield await flush();
  }
  if (batch) yield await flush();
  else onProgress?.({ records: raw.records, rawBytes: raw.rawBytes });
}
