import Parser = require('stream-json/Parser');

/** A stream-json token, as emitted with `packValues` on and `streamValues` off. */
export type JsonToken = { name: string; value?: string };

/**
 * stream-json's tokenizer with the consumer of its tokens built in: each token goes to `consume` as
 * the tokenizer makes it, and only what `consume` outputs travels downstream. Piping the tokens
 * through a Transform of their own costs a stream hop per token (six million for a 60 MB file),
 * about a third of the reading time. Backpressure is the tokenizer's: it takes the next chunk of
 * input only once what was output has been read.
 *
 * An exception from `consume` or `atEnd` destroys the stream with it: thrown, it would escape the
 * tokenizer's write and crash the process. csv-parse is hooked the same way (read-csv-records.ts).
 */
export abstract class TokenConsumer extends Parser {
  private failed = false;

  constructor() {
    super({ packValues: true, streamValues: false });
  }

  /** Takes one token; may call `output`, may throw. */
  protected abstract consume(token: JsonToken): void;

  /** Called when the input has ended without a parse error; may call `output`, may throw. */
  protected abstract atEnd(): void;

  protected output(item: object): void {
    super.push(item);
  }

  // The tokenizer pushes each token, then null at the end of the input.
  override push(token: unknown, encoding?: BufferEncoding): boolean {
    if (this.failed) return false;
    try {
      if (token !== null) {
        this.consume(token as JsonToken);
        return true;
      }
      this.atEnd();
      return super.push(null, encoding);
    } catch (error) {
      this.failed = true;
      this.destroy(error as Error);
      return false;
    }
  }
}
