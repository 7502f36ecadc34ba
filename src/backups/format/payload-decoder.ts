import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { Compression } from './backup-manifest';
import { PayloadOpener } from './payload-cipher';
import { decompressor } from './payload-compression';
import { PayloadKey } from './payload-key';

export interface StoredPayload {
  bytes: number;
  sha256: string;
  /** Whether the GCM tag authenticated the ciphertext; null when nothing was decrypted. */
  authentic: boolean | null;
}

export interface DecodingPayload {
  /** The decompressed NDJSON; null when the payload is only hashed (no key, or decoding off). */
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
export function decodePayload(payload: Readable, options: { compression: Compression; key: PayloadKey | null; decode: boolean }): DecodingPayload {
  const plaintext = options.decode ? decompressor(options.compression) : null;
  // Errors reach the reader through its iteration; this listener only keeps a late one (after the
  // reader stopped iterating) from becoming an uncaught exception.
  plaintext?.on('error', () => undefined);
  let feeding = plaintext !== null;

  const feed = async (chunk: Buffer) => {
    if (!plaintext || plaintext.destroyed) return void (feeding = false);
    if (!plaintext.write(chunk)) await drainedOrClosed(plaintext);
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
      plaintext?.destroy(error as Error);
      throw error;
    }
    const authentic = opener ? opener.final() : null;
    if (feeding) plaintext?.end();
    return { bytes, sha256: hash.digest('hex'), authentic };
  })();
  stored.catch(() => undefined);

  return {
    plaintext,
    stored,
    abandon() {
      feeding = false;
      plaintext?.destroy();
    },
    destroy() {
      feeding = false;
      plaintext?.destroy();
      payload.destroy();
    },
  };
}

function drainedOrClosed(stream: Transform): Promise<void> {
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
