import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { BackupService } from './backup.service';
import { BackupStates } from './backup-states';
import { BackupHealthService } from './backup-health';
import { BackupUpload } from './backup-upload';
import { BackupAdmission } from './backup-admission';
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
  providers: [BackupService, BackupAdmission, BackupStates, BackupUpload, BackupHealthService, BackupDrill, BackupScheduler, PreparedBackups, BackupCopies, BackupDiscovery, ArchiveReports, backupStoragesProvider, primaryStorageProvider],
  exports: [BackupService, BackupStates, BackupScheduler, PreparedBackups, BackupStorages, BackupHealthService, ArchiveReports],
})
export class BackupsModule {}
