import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Compression, RecordCounts } from './backup-manifest';
import { BackupRecord } from './backup-record';
import { recordNotWritable } from './backup-format-errors';
import { checkRecord } from './check-record';
import { MAX_RECORD_LINE_BYTES } from './ndjson-lines';
import { compressor } from './payload-compression';
import { sealStream } from './payload-cipher';
import { PayloadKey } from './payload-key';
import { RecordSequence } from './record-sequence';

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
 * Streams `records` as NDJSON → compressed → sealed into a new file at `path`, checking each record
 * as a reader will (schema, order) and measuring what the manifest needs on the way. Holds one batch
 * of lines at a time. The file is not fsynced: it is a temporary copy the backup file is built from.
 */
export async function writePayload(records: AsyncIterable<BackupRecord>, path: string, options: PayloadOptions): Promise<WrittenPayload> {
  const sequence = new RecordSequence(options.includesHistory);
  const raw = { records: 0, rawBytes: 0 };
  const stored = { bytes: 0, hash: createHash('sha256') };
  await pipeline(
    Readable.from(ndjsonBatches(records, sequence, raw, options)),
    compressor(options.compression),
    ...(options.key ? [sealStream(options.key)] : []),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        stored.bytes += chunk.length;
        stored.hash.update(chunk);
        done(null, chunk);
      },
    }),
    createWriteStream(path, { flags: 'wx' }),
    { signal: options.signal },
  );
  return { counts: sequence.counts, stateHash: sequence.stateHash(), rawBytes: raw.rawBytes, bytes: stored.bytes, sha256: stored.hash.digest('hex') };
}

async function* ndjsonBatches(
  records: AsyncIterable<BackupRecord>,
  sequence: RecordSequence,
  raw: { records: number; rawBytes: number },
  { signal, onProgress }: PayloadOptions,
): AsyncGenerator<Buffer> {
  let batch = '';
  const flush = () => {
    const bytes = Buffer.from(batch, 'utf8');
    raw.rawBytes += bytes.length;
    batch = '';
    onProgress?.({ records: raw.records, rawBytes: raw.rawBytes });
    return bytes;
  };
  for await (const record of records) {
    signal?.throwIfAborted();
    raw.records += 1;
    const checked = checkRecord(record);
    if (!checked.ok) throw recordNotWritable(raw.records, checked.path, checked.message);
    const outOfOrder = sequence.add(record);
    if (outOfOrder) throw recordNotWritable(raw.records, '', outOfOrder);
    const line = JSON.stringify(record);
    // A UTF-16 unit is at most 3 UTF-8 bytes: only long lines need their bytes counted.
    if (line.length > MAX_RECORD_LINE_BYTES / 3 && Buffer.byteLength(line) > MAX_RECORD_LINE_BYTES) {
      throw recordNotWritable(raw.records, '', `its JSON is longer than ${MAX_RECORD_LINE_BYTES} bytes`);
    }
    batch += line + '\n';
    if (batch.length >= BATCH_CHARS) yield flush();
  }
  if (batch) yield flush();
  else onProgress?.({ records: raw.records, rawBytes: raw.rawBytes });
}
