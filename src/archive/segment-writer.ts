import { createHash, Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { APP_VERSION } from '../backups/app-version';
import { sealStream } from '../backups/format/payload-cipher';
import { compressor } from '../backups/format/payload-compression';
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
 * Seals consecutive events (up to the first that takes the content to `maxContentBytes`) into a
 * segment in `tmpDir`: content hashed and gzipped to a file, then
 * (with encryption) sealed into a second file, so memory stays at a few chunks whatever the size.
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
    const gzHash = createHash('sha256');
    await pipeline(Readable.from(lines()), compressor('gzip'), tap(gzHash), createWriteStream(files[0]));
    if (!range.from) {
      await discard();
      return null;
    }
    const sha256 = content.digest('hex');
    const key = segmentKey({ epoch: spec.epoch, level: spec.level, from: range.from, to: range.to });
    // Whatever goes wrong while encrypting, the segment is not uploaded (fail closed).
    const seal = await encryption.sealFor(sha256, key).catch((error: unknown) => {
      throw error instanceof AppError ? error : archiveEncryptionUnavailable(error instanceof Error ? error.message : String(error));
    });
    let payload = files[0];
    let payloadSha256 = gzHash.digest('hex');
    if (seal) {
      const sealedHash = createHash('sha256');
      await pipeline(createReadStream(files[0]), sealStream(seal.key), tap(sealedHash), createWriteStream(files[1]));
      [payload, payloadSha256] = [files[1], sealedHash.digest('hex')];
    }
    const payloadBytes = (await stat(payload)).size;
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
    return {
      key,
      header,
      bytes: headerLine.length + payloadBytes,
      body: () => Readable.from(concat(headerLine, payload)),
      discard,
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
