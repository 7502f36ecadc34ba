import { Readable } from 'node:stream';

/**
 * Pulls an input stream chunk by chunk so a header can be parsed from the front of it; `rest()`
 * then hands back everything after the consumed bytes as a stream of its own, without copying
 * more than the one chunk that straddled the header's end. Destroying that stream destroys the input.
 */
export class HeaderReader {
  private readonly source: AsyncIterator<Buffer | string>;
  buffered = Buffer.alloc(0);
  /** Bytes of the input consumed so far. */
  offset = 0;

  constructor(input: Readable) {
    this.source = input[Symbol.asyncIterator]();
  }

  /** Appends the next chunk to `buffered`; false at the end of the input. */
  async fill(): Promise<boolean> {
    const { done, value } = await this.source.next();
    if (done) return false;
    this.buffered = Buffer.concat([this.buffered, toBuffer(value)]);
    return true;
  }

  consume(bytes: number): Buffer {
    const taken = this.buffered.subarray(0, bytes);
    this.buffered = this.buffered.subarray(bytes);
    this.offset += bytes;
    return taken;
  }

  rest(): Readable {
    return Readable.from(remaining(this.buffered, this.source), { objectMode: false });
  }
}

async function* remaining(first: Buffer, source: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  try {
    if (first.length) yield first;
    for (;;) {
      const { done, value } = await source.next();
      if (done) return;
      yield toBuffer(value);
    }
  } finally {
    await source.return?.();
  }
}

const toBuffer = (chunk: Buffer | string): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
