import { Readable } from 'node:stream';
import { AppError } from '../common/app-error';

export interface ArchiveObject {
  key: string;
  /** Bytes as stored. */
  size: number;
  /** When the store says the object was written (ISO 8601). */
  modifiedAt: string;
}

/**
 * Keys are `/`-separated safe segments (`archive/00000001/…-….gvseg`): each segment starts with a
 * letter or digit and holds no `..`, so a key never names anything outside the store's root,
 * whichever adapter maps it (a subfolder, an S3 key, an rclone path).
 */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

export function checkArchiveKey(key: string): string {
  const parts = key.split('/');
  if (key.length > 1000 || parts.some((p) => !SEGMENT.test(p) || p.includes('..'))) {
    throw new AppError('ARCHIVE.INVALID_KEY', `"${key}" is not a valid archive key`, 400, { key });
  }
  return key;
}

export const archiveObjectNotFound = (key: string) => new AppError('ARCHIVE.NOT_FOUND', `no archive object ${key}`, 404, { key });

/**
 * The narrow port the archive writes through. Guarantees every adapter keeps:
 * 1. `put` makes the object appear complete or not at all (a crash mid-way never leaves a partial
 *    object that lists).
 * 2. `list(prefix)` answers every complete object whose key starts with `prefix`, in key order.
 * 3. Nothing here is conditional: the archive never overwrites a key with different bytes, so no
 *    adapter needs conditional writes or versioning (Supabase's S3 endpoint has neither).
 */
export abstract class ArchiveObjectStore {
  /** Where the store is ("file:/mnt/archive", "s3://bucket/prefix"), for health and previews. */
  abstract describe(): string;
  abstract put(key: string, body: Buffer | Readable): Promise<ArchiveObject>;
  /** Throws ARCHIVE.NOT_FOUND when there is no such object. */
  abstract get(key: string): Promise<Readable>;
  abstract list(prefix: string): Promise<ArchiveObject[]>;
  abstract delete(key: string): Promise<void>;
}
