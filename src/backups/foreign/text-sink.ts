import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

const BATCH_CHARS = 64 * 1024;

/**
 * Text written to a Writable in batches of ~64 KiB, with backpressure: a write the stream cannot
 * take now waits for 'drain', so a slow destination holds the writer back instead of filling memory.
 * Counts the UTF-8 bytes written, so a document can state its own size.
 */
export class TextSink {
  private batch = '';
  private flushedBytes = 0;

  constructor(private readonly out: Writable) {}

  /** UTF-8 bytes of everything written so far, batched or not. */
  get bytes(): number {
    return this.flushedBytes + Buffer.byteLength(this.batch);
  }

  async write(text: string): Promise<void> {
    this.batch += text;
    if (this.batch.length >= BATCH_CHARS) await this.flush();
  }

  /** Flushes, ends the stream and resolves once it has finished (a file's bytes handed to the OS). */
  async end(): Promise<void> {
    await this.flush();
    this.out.end();
    await finished(this.out);
  }

  /**
   * Destroys the stream, so no one takes a half-written document for a whole one (a file stays
   * short, an HTTP response is cut off). Without an error: the failure is the writer's promise's to
   * report, and an 'error' event nobody listens to would crash the process.
   */
  fail(): void {
    this.out.destroy();
  }

  private async flush(): Promise<void> {
    if (this.batch === '') return;
    const chunk = Buffer.from(this.batch, 'utf8');
    this.batch = '';
    this.flushedBytes += chunk.length;
    if (!this.out.write(chunk)) await drained(this.out);
  }
}

/** Resolves on 'drain'; rejects if the stream errors or closes first (a 'drain' would never come). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error('the output closed before the document was written'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/**
 * Runs `write` against a sink on `out`: ends the stream when it succeeds, destroys it (without an
 * error event) when it fails, and rethrows. Every exporter goes through here.
 */
export async function writeDocument<T>(out: Writable, write: (sink: TextSink) => Promise<T>): Promise<T> {
  const sink = new TextSink(out);
  try {
    const result = await write(sink);
    await sink.end();
    return result;
  } catch (error) {
    sink.fail();
    throw error;
  }
}
