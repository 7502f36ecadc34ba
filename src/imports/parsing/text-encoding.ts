import { Transform, TransformCallback } from 'node:stream';
import { wrongEncoding } from './import-errors';

/** The encodings an import file may be in (the `encoding=` query parameter); parsers always read UTF-8. */
export const IMPORT_ENCODINGS = ['utf-8', 'latin1', 'windows-1252'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

const NEWLINE = 0x0a;

/**
 * The first stage of every import parser: hands on the file as UTF-8 bytes, never text quietly
 * altered. UTF-8 (the default) is checked by a fatal, streaming TextDecoder and its bytes handed on
 * unchanged; the first bytes that are not UTF-8 fail the file with `IMPORT.ENCODING` and the
 * physical line they are on, also when a character is split between two reads or the file ends
 * inside one. `latin1` and `windows-1252` (one and the same to TextDecoder, as to browsers: the
 * WHATWG Encoding Standard reads ISO-8859-1 as windows-1252) cannot fail: every byte is a character,
 * re-encoded as UTF-8.
 */
export function decodeToUtf8(encoding: ImportEncoding): Transform {
  return encoding === 'utf-8' ? new Utf8Check() : new Transcode(encoding);
}

class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Newlines in the bytes before the current chunk. */
  private linesBefore = 0;
  /** The bytes of a character the previous chunk ended inside (at most 3). */
  private carry: Uint8Array = new Uint8Array(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return done(wrongEncoding('UTF-8', this.linesBefore + 1 + badLineIn(this.carry, chunk)));
    }
    this.linesBefore += countNewlines(chunk);
    this.carry = incompleteTail(chunk, this.carry);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      return done(wrongEncoding('UTF-8', this.linesBefore + 1));
    }
    done();
  }
}

class Transcode extends Transform {
  private readonly decoder: TextDecoder;

  constructor(encoding: ImportEncoding) {
    super();
    this.decoder = new TextDecoder(encoding);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    done(null, Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8'));
  }

  override _flush(done: TransformCallback): void {
    done(null, Buffer.from(this.decoder.decode(), 'utf8'));
  }
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/**
 * How many newlines of `chunk` come before its first bytes that are not UTF-8 (only called once
 * the chunk failed). A newline byte is never part of a multi-byte character, so the chunk is
 * decoded line by line, `carry` first, and the first line that fails is the one.
 */
function badLineIn(carry: Uint8Array, chunk: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const bytes = Buffer.concat([carry, chunk]);
  let start = 0;
  for (let line = 0; ; line++) {
    const end = bytes.indexOf(NEWLINE, start);
    try {
      decoder.decode(bytes.subarray(start, end === -1 ? bytes.length : end + 1), { stream: true });
    } catch {
      return line;
    }
    if (end === -1) return line;
    start = end + 1;
  }
}

/** The bytes at the end of `chunk` that begin a character it does not finish (with `carry` before it when the chunk is short). */
function incompleteTail(chunk: Buffer, carry: Uint8Array): Uint8Array {
  const bytes = chunk.length >= 4 ? chunk : Buffer.concat([carry, chunk]);
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: the character began earlier
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}
