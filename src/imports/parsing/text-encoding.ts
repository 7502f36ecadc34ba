import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Transform, TransformCallback } from 'node:stream';
import { AppError } from '../../common/app-error';

/** The encodings an import file may be in (the `encoding=` query parameter); parsers always read UTF-8. */
export const IMPORT_ENCODINGS = ['utf-8', 'latin1', 'windows-1252'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

const NEWLINE = 0x0a;

/**
 * The file is not UTF-8 on the line that holds byte `offset` (the line's start, or the start of a
 * character the file ends inside). Counting lines as the bytes pass would cost more than the check
 * itself, so the reader that holds the file turns the offset into a line number once it fails (lineAt).
 */
export class NotUtf8Error extends AppError {
  constructor(readonly offset: number) {
    super('IMPORT.ENCODING', `The file is not valid UTF-8 on the line holding byte ${offset}`, 400, { offset, encoding: 'UTF-8' });
  }
}

/**
 * The first stage of every import parser: hands on the file as UTF-8 bytes, never text quietly
 * altered. UTF-8 (the default) is checked chunk by chunk with simdutf (`isUtf8`; a streaming
 * TextDecoder, which builds a string of every chunk only to throw it away, cost ~0.7 s per 100 MiB)
 * and handed on unchanged; a character split between two reads is checked whole with the next one.
 * The first bytes that are not UTF-8, or a file ending inside a character, fail the file with a
 * NotUtf8Error locating their line. `latin1` and `windows-1252` (one and the same to
 * TextDecoder, as to browsers: the WHATWG Encoding Standard reads ISO-8859-1 as windows-1252)
 * cannot fail: every byte is a character, re-encoded as UTF-8.
 */
export function decodeToUtf8(encoding: ImportEncoding): Transform {
  return encoding === 'utf-8' ? new Utf8Check() : new Transcode(encoding);
}

class Utf8Check extends Transform {
  /** File offset of the first byte not yet checked (the carry's, when there is one). */
  private checkedUpTo = 0;
  /** The bytes of a character the previous chunk ended inside (at most 3). */
  private carry: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const complete = bytes.length - incompleteTail(bytes);
    if (!isUtf8(bytes.subarray(0, complete))) return done(new NotUtf8Error(this.checkedUpTo + badLineStart(bytes)));
    this.checkedUpTo += complete;
    this.carry = Buffer.from(bytes.subarray(complete));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.carry.length > 0 ? new NotUtf8Error(this.checkedUpTo) : undefined);
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

/**
 * Where, in `bytes` (which failed the check), the line holding the first bytes that are not UTF-8
 * starts. A newline byte is never part of a multi-byte character, so the bytes are decoded line by
 * line by a fatal, streaming TextDecoder (at most the last line is unfinished: that one may end
 * inside a character, completed by the next read).
 */
function badLineStart(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let start = 0; ; ) {
    const end = bytes.indexOf(NEWLINE, start);
    try {
      decoder.decode(bytes.subarray(start, end === -1 ? bytes.length : end + 1), { stream: end === -1 });
    } catch {
      return start;
    }
    if (end === -1) return start;
    start = end + 1;
  }
}

/** How many bytes at the end of `bytes` begin a character they do not finish (0 to 3). */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: the character began earlier
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** The 1-based line of the file at `path` that holds byte `offset` (the newlines before it, plus one). */
export async function lineAt(path: string, offset: number): Promise<number> {
  let line = 1;
  if (offset === 0) return line;
  for await (const chunk of createReadStream(path, { end: offset - 1 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) line++;
  }
  return line;
}
