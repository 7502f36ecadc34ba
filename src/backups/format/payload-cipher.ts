import { createCipheriv, createDecipheriv, DecipherGCM } from 'node:crypto';
import { Transform } from 'node:stream';
import { PayloadKey } from './payload-key';

const TAG_BYTES = 16;

/** AES-256-GCM over a stream; the 16-byte tag is appended after the ciphertext as the stream's last bytes. */
export function sealStream({ key, iv }: PayloadKey): Transform {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, cipher.update(chunk));
    },
    flush(done) {
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

/**
 * The reading side of sealStream, fed chunk by chunk. The last 16 bytes seen so far are held back
 * (they may be the tag), so plaintext comes out before it is authenticated: `final()` says whether
 * it was. Synchronous on purpose: the payload reader keeps decrypting and authenticating to the end
 * even after the decompressor downstream has given up.
 */
export class PayloadOpener {
  private readonly decipher: DecipherGCM;
  private held = Buffer.alloc(0);

  constructor({ key, iv }: PayloadKey) {
    this.decipher = createDecipheriv('aes-256-gcm', key, iv);
  }

  update(chunk: Buffer): Buffer {
    const all = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const cut = Math.max(0, all.length - TAG_BYTES);
    this.held = Buffer.from(all.subarray(cut));
    return cut ? this.decipher.update(all.subarray(0, cut)) : Buffer.alloc(0);
  }

  /** True when the tag authenticates every byte before it; false for any mismatch or a payload shorter than a tag. */
  final(): boolean {
    if (this.held.length < TAG_BYTES) return false;
    try {
      this.decipher.setAuthTag(this.held);
      this.decipher.final();
      return true;
    } catch {
      return false;
    }
  }
}
