import { Transform } from 'node:stream';
import { Compression } from './backup-manifest';
import { PayloadOpener } from './payload-cipher';
import { decompressor } from './payload-compression';

/** Decoded output per decompressor step: well above the NDJSON chunks it is matched with, so decoding catches up whenever it falls behind. */
const DECODED_CHUNK = 1024 * 1024;
import { PayloadKey } from './payload-key';

/**
 * The writer's round trip, as it writes: the payload's stored bytes (compressed, sealed) are opened
 * and decompressed again and compared byte for byte with the NDJSON they were made from, so a
 * payload is known to decode to exactly what was checked before the file is finished. Together
 * with the sha256 of those stored bytes (the manifest's), this proves any copy with that sha256
 * decodes to it too, without decoding the copy. Memory: the NDJSON not yet matched (`lag`): what
 * the compressor holds back, and what the decoder has yet to catch up with (see `caughtUp`).
 */
export class PayloadRoundTrip {
  private readonly opener: PayloadOpener | null;
  private readonly decoder: Transform;
  private readonly decoded: Promise<void>;
  private readonly pending: Buffer[] = [];
  private offset = 0;
  private plainBytes = 0;
  private matchedBytes = 0;
  private problem: string | null = null;
  private waiting: { bytes: number; resolve: () => void } | null = null;

  constructor(compression: Compression, key: PayloadKey | null) {
    this.opener = key ? new PayloadOpener(key) : null;
    this.decoder = decompressor(compression, DECODED_CHUNK);
    this.decoder.on('data', (chunk: Buffer) => this.match(chunk));
    this.decoded = new Promise((resolve) => {
      this.decoder.on('end', resolve);
      this.decoder.on('error', (error) => {
        this.problem ??= `it does not decompress (${error.message})`;
        resolve();
      });
    });
    void this.decoded.then(() => this.wake());
  }

  /** NDJSON bytes given and not yet matched by decoded bytes. */
  get lag(): number {
    return this.plainBytes - this.matchedBytes;
  }

  /** Resolves once `lag` is at most `bytes` (or the decoder stopped): a producer that runs ahead waits here. */
  caughtUp(bytes: number): Promise<void> {
    if (this.lag <= bytes || this.problem) return Promise.resolve();
    return new Promise((resolve) => (this.waiting = { bytes, resolve }));
  }

  /** NDJSON as it goes to the compressor. */
  plain(chunk: Buffer): void {
    this.pending.push(chunk);
    this.plainBytes += chunk.length;
  }

  /** The stored bytes made so far (after the compressor and the cipher), in order. */
  stored(chunk: Buffer): void {
    if (this.problem) return;
    const plain = this.opener ? this.opener.update(chunk) : chunk;
    if (plain.length) this.decoder.write(plain);
  }

  /** Null when every stored byte decoded back to the NDJSON, all of it; else what went wrong. */
  async finish(): Promise<string | null> {
    if (this.opener && !this.opener.final()) this.problem ??= 'its GCM tag does not authenticate it';
    this.decoder.end();
    await this.decoded;
    if (!this.problem && this.matchedBytes !== this.plainBytes) this.problem = `it decodes to ${this.matchedBytes} of the ${this.plainBytes} bytes of NDJSON written`;
    return this.problem ? `the payload written does not decode to the NDJSON it was made from: ${this.problem}` : null;
  }

  private match(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.problem) {
      const head = this.pending[0];
      if (!head) return void (this.problem = `it decodes to more than the ${this.plainBytes} bytes of NDJSON written`);
      const n = Math.min(head.length - this.offset, chunk.length - at);
      if (head.compare(chunk, at, at + n, this.offset, this.offset + n) !== 0) return void (this.problem = `it differs from the NDJSON within bytes ${this.matchedBytes}..${this.matchedBytes + n}`);
      at += n;
      this.matchedBytes += n;
      this.offset += n;
      if (this.offset === head.length) {
        this.pending.shift();
        this.offset = 0;
      }
    }
    if (this.waiting && (this.lag <= this.waiting.bytes || this.problem)) this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve();
  }
}
