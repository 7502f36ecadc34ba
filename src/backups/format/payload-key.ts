import { createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ServerKey } from '../../config/server-keys';
import { PassphraseEncryption, SCRYPT_BOUNDS, ServerKeyEncryption } from './backup-manifest';

/** scrypt cost for new backups: 2^15 · 8 · 128 B = 32 MiB and ~100 ms per derivation. */
export const DEFAULT_SCRYPT_N = 2 ** 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_CHECK_LABEL = 'globe-vault key check';
const HKDF_INFO = 'globe-vault payload';

export interface PayloadKey {
  key: Buffer;
  iv: Buffer;
}

/** A fresh salt and IV for one backup, and the key the passphrase derives with them. */
export async function newPayloadKey(passphrase: string, N = DEFAULT_SCRYPT_N): Promise<{ encryption: PassphraseEncryption; key: PayloadKey }> {
  if (N < SCRYPT_BOUNDS.minN || N > SCRYPT_BOUNDS.maxN || (N & (N - 1)) !== 0) throw new Error(`scrypt N ${N} is not a power of two within the reader's bounds`);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, N, SCRYPT_R, SCRYPT_P);
  const encryption: PassphraseEncryption = {
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
export async function openPayloadKey(passphrase: string, encryption: PassphraseEncryption): Promise<PayloadKey | null> {
  const { salt, N, r, p, iv, keyCheck: expected } = encryption;
  const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), N, r, p);
  const matches = timingSafeEqual(keyCheck(key), Buffer.from(expected, 'base64'));
  return matches ? { key, iv: Buffer.from(iv, 'base64') } : null;
}

/**
 * A fresh salt and IV for one file sealed with a server key, and its own key: HKDF-SHA256 of the
 * server key and the salt, so that however many files one server key seals, no GCM key and IV pair
 * is ever used twice (random IVs under one key would be bounded to ~2^32 files).
 */
export function newServerKeyedPayloadKey(serverKey: ServerKey): { encryption: ServerKeyEncryption; key: PayloadKey } {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = payloadKeyOf(serverKey.key, salt);
  const encryption: ServerKeyEncryption = {
    algorithm: 'aes-256-gcm',
    kdf: 'hkdf-sha256',
    keyId: serverKey.id,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    keyCheck: keyCheck(key).toString('base64'),
  };
  return { encryption, key: { key, iv } };
}

/** The key of a file sealed with `serverKey` (the caller found it by the manifest's keyId); null when these bytes are not the key it was sealed with. */
export function openServerKeyedPayloadKey(serverKey: ServerKey, encryption: ServerKeyEncryption): PayloadKey | null {
  const key = payloadKeyOf(serverKey.key, Buffer.from(encryption.salt, 'base64'));
  const matches = timingSafeEqual(keyCheck(key), Buffer.from(encryption.keyCheck, 'base64'));
  return matches ? { key, iv: Buffer.from(encryption.iv, 'base64') } : null;
}

const payloadKeyOf = (serverKey: Uint8Array, salt: Buffer): Buffer => Buffer.from(hkdfSync('sha256', serverKey, salt, HKDF_INFO, 32));

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
