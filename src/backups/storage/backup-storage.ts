import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';

export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: string;
}

/**
 * What `put` stores: a stream, or a function that opens the same bytes afresh (a local file). Only
 * the latter lets a driver restart an upload that failed mid-way: a stream cannot be replayed.
 */
export type ObjectBody = Readable | (() => Readable);

export const openBody = (body: ObjectBody): Readable => (typeof body === 'function' ? body() : body);

/** One segment of a key: no separator, no leading dot (so never `.`, `..` or a hidden partial file). */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
const MAX_KEY_LENGTH = 1000;

/**
 * Keys are `/`-separated safe segments (`globe-vault-…-<id>.gvbk`,
 * `archive/00000001/00000000000000000001-00000000000000000420.gvseg`): no leading or trailing `/`,
 * no empty segment, no `..`, no backslash, so a key can never name a file outside its storage.
 */
export function checkKey(key: string): string {
  const ok = key.length <= MAX_KEY_LENGTH && !key.includes('..') && key.split('/').every((s) => SEGMENT.test(s));
  if (!ok) throw new AppError('BACKUP.INVALID_KEY', `"${key}" is not a valid backup key`, 400, { key });
  return key;
}

export function isValidKey(key: string): boolean {
  try {
    checkKey(key);
    return true;
  } catch {
    return false;
  }
}

/** A prefix for `list`: '' or the start of a key (whole segments, then possibly the start of one). */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const segments = prefix.split('/');
  const last = segments.pop()!;
  const ok = prefix.length <= MAX_KEY_LENGTH && !prefix.includes('..') && segments.every((s) => SEGMENT.test(s)) && (last === '' || SEGMENT.test(last));
  if (!ok) throw new AppError('BACKUP.INVALID_KEY', `"${prefix}" is not a valid key prefix`, 400, { prefix });
  return prefix;
}

/**
 * Where backup files (and, next, the archived log) live: a local folder, an S3-compatible bucket
 * under a prefix, an rclone remote. Every adapter keeps these guarantees (the contract spec,
 * backup-storage.contract-spec.ts, runs against each):
 * 1. `put` makes the object appear complete or not at all: a crash, a full disk or a dropped
 *    connection mid-way never leaves a partial object under its key (nor in `list`).
 * 2. Objects are written once: the service never reuses a key, so nothing depends on overwrite,
 *    conditional writes or versioning (Supabase Storage's S3 endpoint has none of them). Every index
 *    the service keeps can be rebuilt from `list` alone.
 * 3. `list(prefix)` answers every object whose key starts with `prefix`, at any depth, sorted by
 *    key (byte order, as S3's LIST), so range-named keys list in range order.
 * 4. Streams, never whole objects in memory: `put` reads its body as it uploads and `get` answers
 *    a stream; checksums are the reader's job (the backup format carries them).
 * 5. Failures are typed: BACKUP.NOT_FOUND (no such object), STORAGE.ACCESS_DENIED,
 *    STORAGE.BUCKET_NOT_FOUND, STORAGE.UNAVAILABLE (worth retrying later) — see storage-errors.ts.
 */
export abstract class BackupStorage {
  /** Where this storage is, for the history ("file:/data/backups", "s3://bucket/prefix"). */
  abstract describe(): string;
  abstract put(key: string, body: ObjectBody): Promise<StoredObject>;
  /** Throws BACKUP.NOT_FOUND when there is no such object. */
  abstract get(key: string): Promise<Readable>;
  abstract stat(key: string): Promise<StoredObject | null>;
  abstract list(prefix?: string): Promise<StoredObject[]>;
  /** Removes the object; removing one that is not there is not an error. */
  abstract delete(key: string): Promise<void>;
}

export const storedObjectNotFound = (key: string) => new AppError('BACKUP.NOT_FOUND', `no backup file ${key} in storage`, 404, { key });

/** Byte order, as S3 lists keys (guarantee 3). */
export const byKey = (a: StoredObject, b: StoredObject): number => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));
