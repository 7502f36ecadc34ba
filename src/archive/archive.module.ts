import { Module } from '@nestjs/common';
import { BackupsModule } from '../backups/backups.module';
import { APP_GUARD } from '@nestjs/core';
import { openStorage } from '../backups/storage/backup-storages';
import { AppConfig, archiveStorageOf } from '../config/app-config';
import { KeyRing } from '../config/key-ring';
import { ArchiveEncryption, ServerArchiveEncryption } from './archive-encryption';
import { ArchiveObjectStore } from './archive-object-store';
import { ARCHIVE_OBJECT_STORE, ArchiveService } from './archive.service';
import { StorageArchiveStore } from './storage-archive-store';
import { ArchiveRetention } from './archive-retention';
import { ArchiveController } from './archive.controller';
import { WriteGuard } from './write.guard';

/**
 * Continuous archiving of the log (src/archive/README-level map):
 * - archive-object-store.ts  the narrow port segments are written through; storage-archive-store.ts its adapter
 *                            over the backup storage drivers (file:, s3://, rclone:)
 * - segment-key.ts           `archive/<epoch>/<from>-<to>.gvseg`, zero-padded: LIST order is position order
 * - segment-header.ts        the object's first line (range, times, sha256s, epoch, app version, encryption)
 * - segment-writer.ts        events → NDJSON → gzip → (AES-256-GCM) on local disk, ready to upload
 * - segment-reader.ts        an object back to events, every check passed or ARCHIVE.CHECKSUM_MISMATCH
 * - archive-encryption.ts    the encryption port and its passphrase adapter (fail closed)
 * - archive-cursor.ts        the durable cursor in DATA_DIR (moved only after an upload succeeded)
 * - archiver.ts              the loop: seal, upload, advance; reconcile after a crash; status for health
 * - archive-catalog.ts       LIST → segments → the fewest objects covering a range
 * - archive-history.ts       the history up to a target, verified, for a restore from the storage alone
 * - archive-retention.ts     segments follow the backup retention: those before the oldest kept backup's head go
 * - follower.ts              ARCHIVE_FOLLOW: the newest epoch's segments applied to the log, verified
 * - epoch-fence.ts           a writer superseded by a newer epoch stops uploading (fail closed)
 * - write.guard.ts           refuses every HTTP write while the write gate (events/write-gate.ts) is closed
 * - archive.controller.ts    POST /api/archive/promote
 */
@Module({
  imports: [BackupsModule],
  controllers: [ArchiveController],
  providers: [
    // After the access and rate-limit guards (AuthModule registers them first): who it is, then whether anyone may write.
    { provide: APP_GUARD, useClass: WriteGuard },
    {
      provide: ARCHIVE_OBJECT_STORE,
      inject: [AppConfig],
      useFactory: ({ values }: AppConfig): ArchiveObjectStore | null => {
        const url = archiveStorageOf(values);
        if (!url) return null;
        // Every kind (a folder, S3, rclone) through the backup storage drivers, which keep the archive's guarantees.
        return new StorageArchiveStore(openStorage(url, values));
      },
    },
    { provide: ArchiveEncryption, inject: [AppConfig, KeyRing], useFactory: ({ values }: AppConfig, keys: KeyRing) => new ServerArchiveEncryption(values.BACKUP_PASSPHRASE, keys.all()) },
    ArchiveRetention,
    ArchiveService,
  ],
  exports: [ArchiveService],
})
export class ArchiveModule {}
