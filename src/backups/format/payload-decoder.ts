import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform, Writable } from 'node:stream';
import { Compression } from './backup-manifest';
import { countMismatch } from './backup-format-errors';
import { PayloadOpener } from './payload-cipher';
import { decompressor } from './payload-compression';
import { PayloadKey } from './payload-key';

export interface StoredPayload {
  bytes: number;
  sha256: string;
  /** Whether the GCM tag authenticated the ciphertext; null when nothing was decrypted. */
  authentic: boolean | null;
}

export interface DecodeOptions {
  compression: Compression;
  key: PayloadKey | null;
  /** False: the stored bytes are only read and hashed (and authenticated with a key), nothing is decompressed. */
  decode: boolean;
  /**
   * The NDJSON's size as the manifest declares it: decompressing stops as soon as the output passes
   * it, and the plaintext then fails with BACKUP.COUNT_MISMATCH, so however far a crafted payload
   * would expand (a gzip bomb: 64 MiB from 66 KB), no more than this plus one chunk is ever inflated.
   */
  rawBytes: number;
}

export interface DecodingPayload {
  /** The decompressed NDJSON, at most `rawBytes` of it; null when the payload is only hashed (no key, or decoding off). */
  plaintext: Readable | null;
  /** Resolves once every stored byte has been read, hashed and authenticated, even after `abandon()`; rejects only when the input fails. */
  stored: Promise<StoredPayload>;
  /** Stops decompressing (the reader found a problem) while the stored bytes are still read to the end. */
  abandon(): void;
  /** Stops everything: the reader went away. */
  destroy(): void;
}

/**
 * Reads a payload's stored bytes once: each chunk is hashed, then decrypted, then written to the
 * decompressor whose output the caller reads. Hashing and decrypting are done here, synchronously,
 * ahead of the decompressor, so that when decoding fails part-way the checksum and the tag of the
 * whole payload can still be established, and the caller can tell a damaged file (checksum) from
 * a forged one (tag) from a sound file with a bad record. Backpressure from the caller's reading
 * holds the input back; memory stays at a few chunks.
 */
export function decodePayload(payload: Readable, options: DecodeOptions): DecodingPayload {
  const inflating = options.decode ? decompressor(options.compression) : null;
  const plaintext = inflating ? bounded(inflating, options.rawBytes) : null;
  // Errors reach the reader through its iteration; this listener only keeps a late one (after the
  // reader stopped iterating) from becoming an uncaught exception.
  plaintext?.on('error', () => undefined);
  let feeding = inflating !== null;
  const stop = (error?: Error) => {
    feeding = false;
    inflating?.destroy();
    plaintext?.destroy(error);
  };

  const feed = async (chunk: Buffer) => {
    if (!inflating || inflating.destroyed) return void (feeding = false);
    if (!inflating.write(chunk)) await drainedOrClosed(inflating);
  };

  const stored = (async (): Promise<StoredPayload> => {
    const hash = createHash('sha256');
    const opener = options.key ? new PayloadOpener(options.key) : null;
    let bytes = 0;
    try {
      for await (const chunk of payload as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        const plain = opener ? opener.update(chunk) : chunk;
        if (feeding && plain.length) await feed(plain);
      }
    } catch (error) {
      stop(error as Error);
      throw error;
    }
    const authentic = opener ? opener.final() : null;
    if (feeding) inflating?.end();
    return { bytes, sha256: hash.digest('hex'), authentic };
  })();
  stored.catch(() => undefined);

  return {
    plaintext,
    stored,
    abandon() {
      stop();
    },
    destroy() {
      stop();
      payload.destroy();
    },
  };
}

/**
 * The decompressor's output, failing with BACKUP.COUNT_MISMATCH once it passes `limit` bytes; the
 * pipeline then destroys the decompressor too, so nothing more is inflated and a feed waiting for
 * it to drain is released.
 */
function bounded(inflating: Transform, limit: number): Readable {
  let bytes = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limit) return done(countMismatch(`the payload decompresses to more than the manifest's ${limit} bytes`, { rawBytes: limit }));
      done(null, chunk);
    },
  });
  return pipeline(inflating, limited, () => undefined);
}

function drainedOrClosed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
