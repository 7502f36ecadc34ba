import { Module } from '@nestjs/common';
import { ArchiveModule } from '../archive/archive.module';
import { BackupsModule } from '../backups/backups.module';
import { JobsModule } from '../jobs/jobs.module';
import { SnapshotsModule } from '../snapshots/snapshots.module';
import { LogCompaction } from './log-compaction';
import { RebuildController } from './rebuild.controller';
import { RestoreHistory } from './restore-history';
import { RestorePointsService } from './restore-points.service';
import { RestoreJob } from './restore-job';
import { RestoreService } from './restore.service';
import { RestoreTargets } from './restore-targets';
import { ArchivePreview } from './archive-preview';
import { HistoryAdoption } from './history-adoption';
import { CloudRestorePlanner } from './cloud-restore-plan';
import { RestoresController } from './restores.controller';
import { StateAtService } from './state-at.service';
import { StateController } from './state.controller';
import { TimeTravel } from './time-travel';

/** Point-in-time recovery: state at any position, previews, restores, undo, restore points. */
@Module({
  imports: [JobsModule, SnapshotsModule, BackupsModule, ArchiveModule],
  controllers: [RestoresController, StateController, RebuildController],
  providers: [StateAtService, TimeTravel, LogCompaction, RestoreService, RestoreJob, RestoreTargets, HistoryAdoption, ArchivePreview, CloudRestorePlanner, RestoreHistory, RestorePointsService],
  exports: [StateAtService, TimeTravel, RestoreService, RestorePointsService],
})
export class RecoveryModule {}
