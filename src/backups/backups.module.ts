import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { BackupService } from './backup.service';
import { BackupStates } from './backup-states';
import { FetchedBackups } from './fetched-backups';
import { BackupHealthService } from './backup-health';
import { BackupUpload } from './backup-upload';
import { BackupDrill } from './backup-drill';
import { BackupScheduler } from './backup-scheduler';
import { BackupSchedulesController } from './backup-schedules.controller';
import { ExportController } from './export.controller';
import { BackupsController } from './backups.controller';
import { BackupStorages, backupStoragesProvider, primaryStorageProvider } from './storage/backup-storages';
import { BackupCopies } from './backup-copies';
import { BackupDiscovery } from './backup-discovery';
import { PreparedBackups } from './prepared-backups';
import { ArchiveReports } from './archive-reports';

/** Backup files: export, verify, keep, schedule, restore from. */
@Module({
  imports: [JobsModule],
  controllers: [BackupsController, BackupSchedulesController, ExportController],
  providers: [BackupService, BackupStates, FetchedBackups, BackupUpload, BackupHealthService, BackupDrill, BackupScheduler, PreparedBackups, BackupCopies, BackupDiscovery, ArchiveReports, backupStoragesProvider, primaryStorageProvider],
  exports: [BackupService, BackupStates, FetchedBackups, BackupScheduler, PreparedBackups, BackupStorages, BackupHealthService, ArchiveReports],
})
export class BackupsModule {}
