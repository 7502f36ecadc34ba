import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { BackupService } from './catalog/backup.service';
import { BackupTargetStates } from './reading/backup-target-states';
import { FetchedBackups } from './reading/fetched-backups';
import { BackupHealthService } from './reading/backup-health';
import { BackupUpload } from './writing/backup-upload';
import { BackupAdmission } from './writing/backup-admission';
import { BackupDrill } from './reading/backup-drill';
import { BackupScheduler } from './writing/backup-scheduler';
import { BackupSchedulesController } from './backup-schedules.controller';
import { ExportController } from './export.controller';
import { BackupsController } from './backups.controller';
import { BackupStorages, backupStoragesProvider, primaryStorageProvider } from './storage/backup-storages';
import { BackupCopies } from './storage/backup-copies';
import { BackupDiscovery } from './storage/backup-discovery';
import { PreparedBackups } from './prepared/prepared-backups';
import { ArchiveReports } from './reading/archive-reports';

/** Backup files: export, verify, keep, schedule, restore from. */
@Module({
  imports: [JobsModule],
  controllers: [BackupsController, BackupSchedulesController, ExportController],
  providers: [BackupService, BackupAdmission, BackupTargetStates, FetchedBackups, BackupUpload, BackupHealthService, BackupDrill, BackupScheduler, PreparedBackups, BackupCopies, BackupDiscovery, ArchiveReports, backupStoragesProvider, primaryStorageProvider],
  exports: [BackupService, BackupTargetStates, FetchedBackups, BackupScheduler, PreparedBackups, BackupStorages, BackupHealthService, ArchiveReports],
})
export class BackupsModule {}
