/**
 * The longest record line (UTF-8 bytes, without its '\n') the writer writes and a reader accepts:
 * far above any real record (a LocationsAdded event of 1000 locations is ~1 MB), low enough that a
 * damaged or crafted payload without line ends cannot make a reader buffer without bound.
 */
export const MAX_RECORD_LINE_BYTES = 64 * 1024 * 1024;

export interface NdjsonLine {
  /** 1-based. */
  line: number;
  text: string;
  /** False only for a last line that ends without '\n' (the writer ends every line). */
  terminated: boolean;
}

export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is longer than ${MAX_RECORD_LINE_BYTES} bytes`);
  }
}

export class InvalidUtf8Error extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is not valid UTF-8`);
  }
}

/**
 * Splits NDJSON bytes into lines as they are pushed, synchronously; only the current partial line
 * is held. Lines are cut on the byte 0x0A (which never occurs inside a multi-byte UTF-8 sequence)
 * and then decoded one by one, strictly: invalid UTF-8 is an error naming its line, never replaced.
 */
export class NdjsonSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private line = 1;
  private carry: Buffer[] = [];
  private carried = 0;

  /** The lines `chunk` completes, in order. */
  *push(chunk: Buffer): Generator<NdjsonLine> {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const bytes = this.carried ? Buffer.concat([...this.carry, chunk.subarray(start, end)]) : chunk.subarray(start, end);
      this.carry = [];
      this.carried = 0;
      if (bytes.length > MAX_RECORD_LINE_BYTES) throw new LineTooLongError(this.line);
      yield { line: this.line, text: this.decode(bytes), terminated: true };
      this.line += 1;
      start = end + 1;
    }
    if (start < chunk.length) {
      this.carry.push(chunk.subarray(start));
      this.carried += chunk.length - start;
      if (this.carried > MAX_RECORD_LINE_BYTES) throw new LineTooLongError(this.line);
    }
  }

  /** The last line when it has no line end (the writer ends every line), or null. */
  end(): NdjsonLine | null {
    return this.carried ? { line: this.line, text: this.decode(Buffer.concat(this.carry)), terminated: false } : null;
  }

  private decode(bytes: Buffer): string {
    try {
      return this.decoder.decode(bytes);
    } catch {
      throw new InvalidUtf8Error(this.line);
    }
  }
}

/** The lines of streamed NDJSON bytes (see NdjsonSplitter). */
export async function* ndjsonLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<NdjsonLine> {
  const splitter = new NdjsonSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  const last = splitter.end();
  if (last) yield last;
}
