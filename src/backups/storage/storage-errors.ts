import { AppError } from '../../common/app-error';

/**
 * The failures of a storage a user can act on. ACCESS_DENIED and BUCKET_NOT_FOUND are permanent
 * (retrying does not help: fix the credentials or the URL); UNAVAILABLE is a store that could not be
 * reached or answered 5xx after the driver's retries, worth trying again later.
 */
export const storageAccessDenied = (storage: string, reason: string) =>
  new AppError('STORAGE.ACCESS_DENIED', `${storage}: access denied (${reason}); check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or the rclone remote's config)`, 502, { storage, reason });

export const storageBucketNotFound = (storage: string, reason: string) =>
  new AppError('STORAGE.BUCKET_NOT_FOUND', `${storage}: the bucket or remote path does not exist (${reason})`, 502, { storage, reason });

export const storageUnavailable = (storage: string, reason: string) =>
  new AppError('STORAGE.UNAVAILABLE', `${storage}: the storage could not be reached (${reason})`, 503, { storage, reason });

export const storageMisconfigured = (storage: string, reason: string) =>
  new AppError('STORAGE.MISCONFIGURED', `${storage}: ${reason}`, 500, { storage, reason });

/** Whether trying again later may succeed. */
export const isTransientStorageError = (error: unknown): boolean => !(error instanceof AppError) || error.code === 'STORAGE.UNAVAILABLE';
