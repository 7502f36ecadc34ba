import { OnModuleDestroy, Provider } from '@nestjs/common';
import { join } from 'node:path';
import { AppError } from '../../common/app-error';
import { AppConfig, AppConfigValues } from '../../config/app-config';
import { StorageUrl } from '../../config/storage-urls';
import { BackupStorage } from './backup-storage';
import { LocalBackupStorage } from './local-backup-storage';
import { RcloneBackupStorage } from './rclone-backup-storage';
import { S3BackupStorage } from './s3-backup-storage';

export interface ConfiguredStorage {
  /** Its place in BACKUP_STORAGE (0 is the primary). */
  index: number;
  /** As configured ("s3://bucket/prefix"). */
  url: string;
  kind: StorageUrl['kind'];
  storage: BackupStorage;
}

/** A schedule's or a request's choice of storage: 'default' (every configured storage), an index, or a name. */
export type StorageChoice = 'default' | number | string;

/** Opens the storage a URL names (BACKUP_STORAGE's entries; the archive's ARCHIVE_STORAGE too). */
export function openStorage(url: StorageUrl, values: AppConfigValues): BackupStorage {
  switch (url.kind) {
    case 'file':
      return new LocalBackupStorage(url.dir);
    case 's3':
      return new S3BackupStorage({
        bucket: url.bucket,
        prefix: url.prefix,
        endpoint: values.S3_ENDPOINT,
        region: values.S3_REGION,
        forcePathStyle: values.S3_FORCE_PATH_STYLE,
        credentials:
          values.AWS_ACCESS_KEY_ID && values.AWS_SECRET_ACCESS_KEY
            ? { accessKeyId: values.AWS_ACCESS_KEY_ID, secretAccessKey: values.AWS_SECRET_ACCESS_KEY, sessionToken: values.AWS_SESSION_TOKEN }
            : undefined,
      });
    case 'rclone':
      RcloneBackupStorage.checkBinary();
      return new RcloneBackupStorage(url.remote, url.path);
  }
}

/**
 * Every storage BACKUP_STORAGE lists, the first being the primary. A copy in the catalog names its
 * storage by `describe()`; reads go local first (a file: storage is the cheapest and nearest).
 */
export class BackupStorages implements OnModuleDestroy {
  constructor(readonly all: ConfiguredStorage[]) {}

  /** Closes the S3 clients' connections when the app stops. */
  onModuleDestroy(): void {
    for (const { storage } of this.all) if (storage instanceof S3BackupStorage) storage.destroy();
  }

  get primary(): ConfiguredStorage {
    return this.all[0];
  }

  byDescription(description: string): ConfiguredStorage | undefined {
    return this.all.find((s) => s.storage.describe() === description);
  }

  /** Where reads try first: local folders, then the remote storages in configured order. */
  readOrder(): ConfiguredStorage[] {
    return [...this.all].sort((a, b) => Number(a.kind !== 'file') - Number(b.kind !== 'file') || a.index - b.index);
  }

  /**
   * The storages a choice names: 'default' is every configured storage (each backup goes to each);
   * an index, the URL as configured, its description, or its kind when only one has that kind
   * picks one. Anything else is refused with STORAGE.UNKNOWN.
   */
  select(choice: StorageChoice): ConfiguredStorage[] {
    if (choice === 'default') return this.all;
    const found =
      typeof choice === 'number'
        ? this.all[choice]
        : this.all.find((s) => s.url === choice || s.storage.describe() === choice) ?? single(this.all.filter((s) => s.kind === choice));
    if (!found) {
      const known = this.all.map((s) => `${s.index}: ${s.url}`).join(', ');
      throw new AppError('STORAGE.UNKNOWN', `no configured storage is named ${JSON.stringify(choice)}; BACKUP_STORAGE lists ${known}`, 400, { choice });
    }
    return [found];
  }
}

const single = <T>(items: T[]): T | undefined => (items.length === 1 ? items[0] : undefined);

export const backupStoragesProvider: Provider = {
  provide: BackupStorages,
  inject: [AppConfig],
  useFactory: ({ values }: AppConfig): BackupStorages => {
    const urls = values.BACKUP_STORAGE ?? [{ kind: 'file', url: `file:${join(values.dataDir, 'backups')}`, dir: join(values.dataDir, 'backups') }];
    return new BackupStorages(urls.map((url, index) => ({ index, url: url.url, kind: url.kind, storage: openStorage(url, values) })));
  },
};

/** The primary storage, for code that needs one storage (the port as before). */
export const primaryStorageProvider: Provider = {
  provide: BackupStorage,
  inject: [BackupStorages],
  useFactory: (storages: BackupStorages): BackupStorage => storages.primary.storage,
};
