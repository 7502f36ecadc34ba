import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { BackupService } from './backup.service';
import { BackupsController } from './backups.controller';
import { backupStorageProvider } from './storage/backup-storage.provider';

/** Backup files: export, verify, keep, schedule, restore from. */
@Module({
  imports: [JobsModule],
  controllers: [BackupsController],
  providers: [BackupService, backupStorageProvider],
  exports: [BackupService],
})
export class BackupsModule {}
