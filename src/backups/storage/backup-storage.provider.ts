import { Provider } from '@nestjs/common';
import { join } from 'node:path';
import { AppError } from '../../common/app-error';
import { AppConfig } from '../../config/app-config';
import { BackupStorage } from './backup-storage';
import { LocalBackupStorage } from './local-backup-storage';

/** The storage BACKUP_STORAGE names: `file:<dir>` (default `<DATA_DIR>/backups`). */
export const backupStorageProvider: Provider = {
  provide: BackupStorage,
  inject: [AppConfig],
  useFactory: ({ values }: AppConfig): BackupStorage => {
    const spec = values.BACKUP_STORAGE ?? `file:${join(values.dataDir, 'backups')}`;
    if (spec.startsWith('file:')) return new LocalBackupStorage(spec.slice('file:'.length));
    throw new AppError('CONFIG.UNSUPPORTED_STORAGE', `BACKUP_STORAGE ${spec}: only file:<dir> is supported in this version`, 500);
  },
};
