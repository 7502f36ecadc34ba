import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';

export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: string;
}

/** Keys are flat names: no separators, no leading dot, so a key can never name a file outside its folder. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

export function checkKey(key: string): string {
  if (!KEY.test(key) || key.includes('..')) throw new AppError('BACKUP.INVALID_KEY', `"${key}" is not a valid backup key`, 400, { key });
  return key;
}

/**
 * Where backup files live: a local folder by default; S3-compatible storage and rclone remotes
 * come through this same port. Small and streaming on purpose: a driver never holds a whole file.
 * Guarantee of `put`: the object appears complete or not at all (a crash or a full disk mid-way
 * never leaves an object that lists as a backup).
 */
export abstract class BackupStorage {
  /** Where this storage is, for the history ("file:/data/backups", "s3://bucket/prefix"). */
  abstract describe(): string;
  abstract put(key: string, body: Readable): Promise<StoredObject>;
  /** Throws BACKUP.NOT_FOUND when there is no such object. */
  abstract get(key: string): Promise<Readable>;
  abstract stat(key: string): Promise<StoredObject | null>;
  abstract list(): Promise<StoredObject[]>;
  abstract delete(key: string): Promise<void>;
}

export const storedObjectNotFound = (key: string) => new AppError('BACKUP.NOT_FOUND', `no backup file ${key} in storage`, 404, { key });
