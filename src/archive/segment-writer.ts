import { createCipheriv, createHash, Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { APP_VERSION } from '../backups/app-version';
import { sealStream } from '../backups/format/payload-cipher';
import { compressor, GZIP_LEVEL } from '../backups/format/payload-compression';
import { gzipSync } from 'node:zlib';
import { RecordedEvent } from '../events/event-store';
import { AppError } from '../common/app-error';
import { ArchiveEncryption } from './archive-encryption';
import { archiveEncryptionUnavailable } from './archive-errors';
import { SegmentHeader } from './segment-header';
import { segmentKey } from './segment-key';

/** A segment made on local disk, ready to upload (and to upload again, byte for byte). */
export interface SealedSegment {
  key: string;
  header: SegmentHeader;
  /** Header line + payload: bytes of the object. */
  bytes: number;
  /** The object's bytes as a fresh stream (each upload attempt takes a new one). */
  body(): Readable;
  /** The object's bytes, when the segment was sealed in memory (IN_MEMORY_CONTENT_BYTES). */
  buffer?: Buffer;
  discard(): Promise<void>;
}

/** One NDJSON line per event, the record a backup's history holds (backup-record.ts), keys in RecordedEvent's order. */
export const eventLine = (e: RecordedEvent): string =>
  JSON.stringify({
    t: 'event',
    v: {
      position: e.position,
      eventId: e.eventId,
      stream: e.stream,
      revision: e.revision,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      recordedAt: e.recordedAt,
    },
  }) + '\n';

/**
 * Content up to this size is sealed in memory: gzip and encryption run synchronously (a few ms for
 * 1 MiB) and no temporary file is written. The file path costs a dozen trips through the thread
 * pool (zlib, open, write, close, stat, read), each of which waits for the event loop: under a load
 * of HTTP requests that made a one-second segment take seconds to seal (BENCHMARKS.md, cloud).
 */
export const IN_MEMORY_CONTENT_BYTES = 1024 * 1024;

/**
 * Seals consecutive events (up to the first that takes the content to `maxContentBytes`) into a
 * segment. Content of at most IN_MEMORY_CONTENT_BYTES is sealed in memory; past that, in
 * `tmpDir`: content hashed and gzipped to a file, then (with encryption) sealed into a second
 * file, so memory stays at a few chunks whatever the size. Either way the object's bytes are those
 * of the same format (header line, gzip, AES-256-GCM with its tag last).
 * Null when there was no event. Throws, having left nothing behind, when the events are not
 * consecutive or encryption is configured and cannot be applied.
 */
export async function sealSegment(
  events: AsyncIterable<RecordedEvent>,
  spec: { epoch: number; level: number; chainHeadAt?: (position: number) => Promise<string | null>; continues?: SegmentHeader['continues'] },
  encryption: ArchiveEncryption,
  tmpDir: string,
  maxContentBytes = Infinity,
): Promise<SealedSegment | null> {
  const base = join(tmpDir, `segment-${uuidv7()}`);
  const files = [`${base}.gz`, `${base}.sealed`];
  const discard = () => Promise.all(files.map((f) => rm(f, { force: true }))).then(() => undefined);
  try {
    const content = createHash('sha256');
    const range = { from: 0, to: 0, fromRecordedAt: '', toRecordedAt: '', contentBytes: 0 };
    const lines = async function* () {
      for await (const e of events) {
        if (range.to && e.position !== range.to + 1) throw new Error(`archive segment: position ${e.position} does not follow ${range.to}`);
        if (!range.from) [range.from, range.fromRecordedAt] = [e.position, e.recordedAt];
        [range.to, range.toRecordedAt] = [e.position, e.recordedAt];
        const bytes = Buffer.from(eventLine(e));
        content.update(bytes);
        range.contentBytes += bytes.length;
        yield bytes;
        // Leaving the loop closes the source (a readAll stops reading the log).
        if (range.contentBytes >= maxContentBytes) return;
      }
    };
    // The first IN_MEMORY_CONTENT_BYTES are read into memory; a segment that ends there stays there.
    const source = lines()[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let small = true;
    for (let held = 0; ; ) {
      if (held >= IN_MEMORY_CONTENT_BYTES) {
        small = false;
        break;
      }
      const next = await source.next();
      if (next.done) break;
      head.push(next.value);
      held += next.value.length;
    }
    if (!range.from) return null;
    const sha256OfContent = () => content.digest('hex');
    // The range is known once every event was read (the large path reads the rest below).
    const keyOfRange = () => segmentKey({ epoch: spec.epoch, level: spec.level, from: range.from, to: range.to });
    // Whatever goes wrong while encrypting, the segment is not uploaded (fail closed).
    const sealWith = (sha256: string) =>
      encryption.sealFor(sha256, keyOfRange()).catch((error: unknown) => {
        throw error instanceof AppError ? error : archiveEncryptionUnavailable(error instanceof Error ? error.message : String(error));
      });
    let payload: { file: string } | { bytes: Buffer };
    let payloadSha256: string;
    let seal: Awaited<ReturnType<typeof sealWith>>;
    let sha256: string;
    if (small) {
      sha256 = sha256OfContent();
      seal = await sealWith(sha256);
      let bytes = gzipSync(Buffer.concat(head), { level: GZIP_LEVEL });
      if (seal) {
        const cipher = createCipheriv('aes-256-gcm', seal.key.key, seal.key.iv);
        bytes = Buffer.concat([cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
      }
      payload = { bytes };
      payloadSha256 = createHash('sha256').update(bytes).digest('hex');
    } else {
      const gzHash = createHash('sha256');
      const all = async function* () {
        yield* head;
        for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
      };
      try {
        await pipeline(Readable.from(all()), compressor('gzip'), tap(gzHash), createWriteStream(files[0]));
      } finally {
        await source.return?.();
      }
      sha256 = sha256OfContent();
      seal = await sealWith(sha256);
      payload = { file: files[0] };
      payloadSha256 = gzHash.digest('hex');
      if (seal) {
        const sealedHash = createHash('sha256');
        await pipeline(createReadStream(files[0]), sealStream(seal.key), tap(sealedHash), createWriteStream(files[1]));
        [payload, payloadSha256] = [{ file: files[1] }, sealedHash.digest('hex')];
      }
    }
    const key = keyOfRange();
    const payloadBytes = 'bytes' in payload ? payload.bytes.length : (await stat(payload.file)).size;
    const header: SegmentHeader = {
      format: 'gvseg',
      version: 1,
      epoch: spec.epoch,
      level: spec.level,
      from: range.from,
      to: range.to,
      count: range.to - range.from + 1,
      fromRecordedAt: range.fromRecordedAt,
      toRecordedAt: range.toRecordedAt,
      appVersion: APP_VERSION,
      chainHead: (await spec.chainHeadAt?.(range.to)) ?? null,
      compression: 'gzip',
      encryption: seal?.encryption ?? null,
      contentBytes: range.contentBytes,
      sha256,
      payloadBytes,
      payloadSha256,
      ...(spec.continues && range.from === 1 ? { continues: spec.continues } : {}),
    };
    const headerLine = Buffer.from(JSON.stringify(header) + '\n');
    const object = 'bytes' in payload ? Buffer.concat([headerLine, payload.bytes]) : null;
    return {
      key,
      header,
      bytes: headerLine.length + payloadBytes,
      body: () => (object ? Readable.from([object]) : Readable.from(concat(headerLine, (payload as { file: string }).file))),
      ...(object ? { buffer: object } : {}),
      discard: object ? async () => undefined : discard,
    };
  } catch (error) {
    await discard();
    throw error;
  }
}

async function* concat(first: Buffer, file: string): AsyncGenerator<Buffer> {
  yield first;
  for await (const chunk of createReadStream(file)) yield chunk as Buffer;
}

function tap(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}
