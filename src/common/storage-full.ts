import { statfsSync } from 'node:fs';
import { AppError } from './app-error';

/** Below this much free space, a disk I/O error on a write is taken for a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * The answer to a write the storage had no room for: 507 `STORAGE.FULL`. Every write the service
 * makes is atomic (an append, a read-model slice and its checkpoint, a staged file renamed only when
 * complete), so a write refused this way left nothing behind, and the same request succeeds once
 * space is freed. Reads go on being served meanwhile.
 */
export const storageFull = (): AppError =>
  new AppError('STORAGE.FULL', 'the storage is full: nothing was written. Free some space (or raise the quota) and try again', 507);

/**
 * The answer to a change that the log recorded but the read models have no room to show: still
 * 507 STORAGE.FULL, but saying so (`details.recorded`), since sending it again would record it twice.
 * The change appears once space is freed (the projector retries).
 */
export const storageFullAfterAppend = (position: number): AppError =>
  new AppError(
    'STORAGE.FULL',
    `the storage is full: the change is recorded (log position ${position}) but cannot be shown until some space is freed; do not send it again`,
    507,
    { recorded: true, position },
  );

/**
 * Whether `error`, or an error it was caused by, means the storage under `dataDir` is full: SQLite's
 * SQLITE_FULL (a write returned ENOSPC, or the database reached its page limit), the system's
 * ENOSPC or EDQUOT, or a SQLite disk I/O error (SQLITE_IOERR_*, which does not carry the errno:
 * growing a WAL index, for one, reports ENOSPC so) while the file system of `dataDir` has next to no
 * space left (not considered without `dataDir`).
 */
export function isStorageFull(error: unknown, dataDir?: string): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (dataDir !== undefined && typeof code === 'string' && code.startsWith('SQLITE_IOERR') && freeBytes(dataDir) < NEARLY_FULL_BYTES) return true;
  }
  return false;
}

/** `error` as STORAGE.FULL when it means that (see isStorageFull), else unchanged. */
export function asStorageFull(error: unknown, dataDir: string): unknown {
  return !(error instanceof AppError) && isStorageFull(error, dataDir) ? storageFull() : error;
}

function freeBytes(dir: string): number {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
