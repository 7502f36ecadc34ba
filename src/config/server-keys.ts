import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** A key the server holds to encrypt backups and archive segments without a person's passphrase. */
export interface ServerKey {
  /** Named in every manifest the key seals; given as `id:key` or derived from the key (keyIdOf). */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

const KEY_BYTES = 32;
/** What a key id may be (a manifest names it, a file of keys gives it). */
export const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The id of a key given without one: the first 8 bytes (16 hex digits) of
 * sha256("globe-vault key id" ‖ key). It names the key and reveals nothing of it; the same key
 * always gets the same id, on any server.
 */
export const keyIdOf = (key: Buffer): string => createHash('sha256').update('globe-vault key id').update(key).digest('hex').slice(0, 16);

/**
 * Parses a key list: one entry a line (or several on a line, separated by commas, as an environment
 * variable holds them), each `key` or `id:key`, the key as 64 hex digits or base64 (standard or
 * url-safe) of exactly 32 bytes; blank lines and `#` comment lines are skipped. Order is kept: the
 * LAST entry is the current key (appending a line rotates). Throws an Error whose message says where
 * (line, and entry when a line has several) and what is wrong, never the key itself; two entries
 * with one id, or with one key, are refused.
 */
export function parseServerKeys(text: string): ServerKey[] {
  const keys: ServerKey[] = [];
  const seen = new Map<string, string>();
  text.split('\n').forEach((line, lineIndex) => {
    if (line.trim().startsWith('#')) return;
    const entries = line.split(',');
    entries.forEach((raw, entryIndex) => {
      const entry = raw.trim();
      if (entry === '') return;
      const where = entries.length > 1 ? `line ${lineIndex + 1}, entry ${entryIndex + 1}` : `line ${lineIndex + 1}`;
      const colon = entry.indexOf(':');
      const given = colon === -1 ? null : entry.slice(0, colon).trim();
      if (given !== null && !KEY_ID.test(given)) throw new Error(`${where}: the key id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
      const key = decodeKey(entry.slice(colon + 1).trim(), where);
      const id = given ?? keyIdOf(key);
      const sameId = seen.get(`id:${id}`);
      if (sameId !== undefined) throw new Error(`${sameId} and ${where} have the same key id ${id}`);
      const sameKey = seen.get(`key:${key.toString('hex')}`);
      if (sameKey !== undefined) throw new Error(`${sameKey} and ${where} hold the same key`);
      seen.set(`id:${id}`, where).set(`key:${key.toString('hex')}`, where);
      keys.push({ id, key });
    });
  });
  if (keys.length === 0) throw new Error('no key is given');
  return keys;
}

function decodeKey(text: string, where: string): Buffer {
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  if (/^[0-9a-fA-F]+$/.test(text) && text.length > 44) throw new Error(`${where}: the key is ${text.length} hex digits, not 64`);
  if (!BASE64.test(text)) throw new Error(`${where}: the key is neither 64 hex digits nor base64`);
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${where}: the key is ${key.length} bytes, not ${KEY_BYTES} (generate one with: openssl rand -base64 32)`);
  // Buffer.from ignores what it cannot decode: the text must be exactly the key's encoding.
  if (key.toString('base64').replace(/=+$/, '') !== text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')) {
    throw new Error(`${where}: the key is not valid base64`);
  }
  return key;
}

/**
 * Reads a key file. A file other users may read or write (any of the mode's "other" bits) is
 * refused: a key readable by every account on the machine protects nothing.
 */
export function readKeyFile(path: string): ServerKey[] {
  let mode: number;
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a regular file');
    mode = stat.mode & 0o777;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as { message?: string }).message ?? String(error)}`);
  }
  if (process.platform !== 'win32' && (mode & 0o007) !== 0) {
    throw new Error(`${path} is accessible to every user (mode ${mode.toString(8).padStart(4, '0')}): make it private, e.g. chmod 600 ${path}`);
  }
  return parseServerKeys(text);
}
