import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { HeaderReader } from '../backups/format/header-reader';
import { backupRecordSchema } from '../backups/format/backup-record';
import { NdjsonSplitter } from '../backups/format/ndjson-lines';
import { decodePayload } from '../backups/format/payload-decoder';
import { AppError } from '../common/app-error';
import { RecordedEvent } from '../events/event-store';
import { ArchiveEncryption } from './archive-encryption';
import { archiveChecksumMismatch } from './archive-errors';
import { ArchiveObjectStore } from './archive-object-store';
import { MAX_HEADER_BYTES, SegmentHeader, segmentHeaderSchema } from './segment-header';
import { SegmentRange, parseSegmentKey } from './segment-key';

/** The header line of a segment object, checked against the range its key names. */
export async function readSegmentHeader(store: ArchiveObjectStore, key: string): Promise<SegmentHeader> {
  const body = await store.get(key);
  try {
    return (await splitHeader(body, key)).header;
  } finally {
    body.destroy();
  }
}

/**
 * The events of one segment object, in position order, those in [fromPosition, toPosition] only;
 * none when its first event was recorded after `startsBy` (ms). `onHeader` sees the header (checked
 * against the key) before the first event; what it promises holds only once the generator completed.
 * The object is always read to its end and the generator returns only once every check passed
 * (the header matches the key, the stored bytes' sha256, the GCM tag, the content's sha256, the
 * count and the positions): a consumer that commits only when the iteration completes (adoptHistory)
 * never commits a damaged segment's events. Any failure is ARCHIVE.CHECKSUM_MISMATCH naming the key.
 * `onVerified` gets the header once every check passed (before the generator returns).
 */
export async function* readSegmentEvents(
  store: ArchiveObjectStore,
  key: string,
  encryption: ArchiveEncryption,
  window: { fromPosition?: number; toPosition?: number; startsBy?: number; onHeader?: (header: SegmentHeader) => void; onVerified?: (header: SegmentHeader) => void } = {},
): AsyncGenerator<RecordedEvent> {
  const body = await store.get(key);
  try {
    const { header, payload } = await splitHeader(body, key);
    window.onHeader?.(header);
    // A segment that starts after the time asked for is not read past its header (nor verified).
    if (window.startsBy !== undefined && Date.parse(header.fromRecordedAt) > window.startsBy) return;
    const payloadKey = header.encryption ? await encryption.open(header.encryption, key) : null;
    const decoding = decodePayload(payload, { compression: header.compression, key: payloadKey, decode: true, rawBytes: header.contentBytes });
    const content = createHash('sha256');
    const splitter = new NdjsonSplitter();
    let expected = header.from;
    const check = (text: string): RecordedEvent => {
      const record = backupRecordSchema.safeParse(JSON.parse(text));
      if (!record.success || record.data.t !== 'event') throw new Error(`line ${expected - header.from + 1} is not an event record`);
      const event = record.data.v as unknown as RecordedEvent;
      if (event.position !== expected || event.position > header.to) throw new Error(`position ${event.position} where ${expected} was expected`);
      expected += 1;
      return event;
    };
    try {
      for await (const chunk of decoding.plaintext! as AsyncIterable<Buffer>) {
        content.update(chunk);
        for (const line of splitter.push(chunk)) {
          const event = check(line.text);
          if (event.position >= (window.fromPosition ?? 1) && event.position <= (window.toPosition ?? Infinity)) yield event;
        }
      }
      if (splitter.end()) throw new Error('the content ends inside a line');
      const stored = await decoding.stored;
      if (stored.sha256 !== header.payloadSha256 || stored.bytes !== header.payloadBytes) throw new Error('the stored bytes do not match their sha256');
      if (stored.authentic === false) throw new Error('the ciphertext is not authentic (GCM tag)');
      if (content.digest('hex') !== header.sha256) throw new Error('the content does not match its sha256');
      if (expected !== header.to + 1) throw new Error(`the content ends at position ${expected - 1}, not ${header.to}`);
      window.onVerified?.(header);
    } catch (error) {
      decoding.destroy();
      // The archive's own verdicts pass as they are; the decoder's (a payload larger than its header
      // says, a bad gzip stream) are damage to this object like any other.
      if (error instanceof AppError && error.code.startsWith('ARCHIVE.')) throw error;
      throw archiveChecksumMismatch(key, error instanceof Error ? error.message : String(error));
    }
  } finally {
    body.destroy();
  }
}

/** Parses the header line off the front of an object; the payload is the rest of the stream. */
async function splitHeader(body: Readable, key: string): Promise<{ header: SegmentHeader; payload: Readable }> {
  const range = parseSegmentKey(key);
  const reader = new HeaderReader(body);
  let end = reader.buffered.indexOf(0x0a);
  while (end < 0 && reader.buffered.length <= MAX_HEADER_BYTES && (await reader.fill())) end = reader.buffered.indexOf(0x0a);
  if (end < 0 || end > MAX_HEADER_BYTES) throw archiveChecksumMismatch(key, 'no segment header line');
  let header: SegmentHeader;
  try {
    header = segmentHeaderSchema.parse(JSON.parse(reader.consume(end + 1).toString('utf8')));
  } catch (error) {
    throw archiveChecksumMismatch(key, `unreadable header (${error instanceof Error ? error.message.slice(0, 200) : String(error)})`);
  }
  if (!range || !sameRange(range, header)) throw archiveChecksumMismatch(key, 'the header names another range than the key');
  return { header, payload: reader.rest() };
}

const sameRange = (a: SegmentRange, h: SegmentHeader) => a.epoch === h.epoch && a.from === h.from && a.to === h.to && a.level === h.level;
