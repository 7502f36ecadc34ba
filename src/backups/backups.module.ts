import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { BackupService } from './backup.service';
import { BackupStates } from './backup-states';
import { BackupHealthService } from './backup-health';
import { BackupUpload } from './backup-upload';
import { BackupsController } from './backups.controller';
import { backupStorageProvider } from './storage/backup-storage.provider';

/** Backup files: export, verify, keep, schedule, restore from. */
@Module({
  imports: [JobsModule],
  controllers: [BackupsController],
  providers: [BackupService, BackupStates, BackupUpload, BackupHealthService, backupStorageProvider],
  exports: [BackupService, BackupStates],
})
export class BackupsModule {}
