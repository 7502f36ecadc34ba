import { Readable } from 'node:stream';
import { AppError } from '../common/app-error';
import { BackupStorage } from '../backups/storage/backup-storage';
import { ArchiveObject, ArchiveObjectStore, archiveObjectNotFound, checkArchiveKey } from './archive-object-store';

/**
 * The archive's port over a backup storage driver (file:, s3://, rclone:), which already keeps the
 * guarantees the archive needs: complete-or-absent puts, write-once keys, `list(prefix)` of every
 * key in byte order. A Buffer body is handed over as a reopenable source, so a driver that retries
 * a whole upload (S3 after a transient failure) can send the same bytes again.
 */
export class StorageArchiveStore extends ArchiveObjectStore {
  constructor(private readonly storage: BackupStorage) {
    super();
  }

  describe(): string {
    return this.storage.describe();
  }

  put(key: string, body: Buffer | Readable): Promise<ArchiveObject> {
    checkArchiveKey(key);
    return this.storage.put(key, Buffer.isBuffer(body) ? () => Readable.from([body]) : body);
  }

  async get(key: string): Promise<Readable> {
    try {
      return await this.storage.get(checkArchiveKey(key));
    } catch (error) {
      if (error instanceof AppError && error.code === 'BACKUP.NOT_FOUND') throw archiveObjectNotFound(key);
      throw error;
    }
  }

  list(prefix: string): Promise<ArchiveObject[]> {
    return this.storage.list(prefix);
  }

  delete(key: string): Promise<void> {
    return this.storage.delete(checkArchiveKey(key));
  }
}
