import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Encryption, SCRYPT_BOUNDS } from './backup-manifest';

/** scrypt cost for new backups: 2^15 · 8 · 128 B = 32 MiB and ~100 ms per derivation. */
export const DEFAULT_SCRYPT_N = 2 ** 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_CHECK_LABEL = 'globe-vault key check';

export interface PayloadKey {
  key: Buffer;
  iv: Buffer;
}

/** A fresh salt and IV for one backup, and the key the passphrase derives with them. */
export async function newPayloadKey(passphrase: string, N = DEFAULT_SCRYPT_N): Promise<{ encryption: Encryption; key: PayloadKey }> {
  if (N < SCRYPT_BOUNDS.minN || N > SCRYPT_BOUNDS.maxN || (N & (N - 1)) !== 0) throw new Error(`scrypt N ${N} is not a power of two within the reader's bounds`);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, N, SCRYPT_R, SCRYPT_P);
  const encryption: Encryption = {
    algorithm: 'aes-256-gcm',
    kdf: 'scrypt',
    salt: salt.toString('base64'),
    N,
    r: SCRYPT_R,
    p: SCRYPT_P,
    iv: iv.toString('base64'),
    keyCheck: keyCheck(key).toString('base64'),
  };
  return { encryption, key: { key, iv } };
}

/**
 * The key of an existing backup, with the parameters its manifest records; null when the passphrase
 * is not the one it was written with (its key check differs), which is known before any decrypting.
 */
export async function openPayloadKey(passphrase: string, encryption: Encryption): Promise<PayloadKey | null> {
  const { salt, N, r, p, iv, keyCheck: expected } = encryption;
  const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), N, r, p);
  const matches = timingSafeEqual(keyCheck(key), Buffer.from(expected, 'base64'));
  return matches ? { key, iv: Buffer.from(iv, 'base64') } : null;
}

/**
 * The passphrase is NFC-normalised first: the same words typed on a system that composes accents
 * differently (macOS input is often NFD) must open the backup years later.
 */
function deriveKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  // Node refuses scrypt above maxmem (32 MiB by default), which N = 2^15, r = 8 already reaches.
  const maxmem = 2 * 128 * N * r + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

const keyCheck = (key: Buffer): Buffer => createHmac('sha256', key).update(KEY_CHECK_LABEL).digest();
