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
 * Splits NDJSON bytes into lines as they stream; only the current partial line is held. Lines are
 * cut on the byte 0x0A (which never occurs inside a multi-byte UTF-8 sequence) and then decoded
 * one by one, strictly: invalid UTF-8 is an error naming its line, never replaced.
 */
export async function* ndjsonLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let carry: Buffer[] = [];
  let carried = 0;
  const decode = (bytes: Buffer) => {
    try {
      return decoder.decode(bytes);
    } catch {
      throw new InvalidUtf8Error(line);
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const bytes = carried ? Buffer.concat([...carry, chunk.subarray(start, end)]) : chunk.subarray(start, end);
      carry = [];
      carried = 0;
      if (bytes.length > MAX_RECORD_LINE_BYTES) throw new LineTooLongError(line);
      yield { line, text: decode(bytes), terminated: true };
      line += 1;
      start = end + 1;
    }
    if (start < chunk.length) {
      carry.push(chunk.subarray(start));
      carried += chunk.length - start;
      if (carried > MAX_RECORD_LINE_BYTES) throw new LineTooLongError(line);
    }
  }
  if (carried) yield { line, text: decode(Buffer.concat(carry)), terminated: false };
}
