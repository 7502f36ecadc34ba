import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { SnapshotCompaction } from './snapshot-compaction';
import { SnapshotJobs } from './snapshot-jobs';
import { SnapshotLease } from './snapshot-lease';
import { SnapshotScheduler } from './snapshot-scheduler';
import { SnapshotStore } from './snapshot-store';
import { SnapshotsController } from './snapshots.controller';

/** Snapshots of the whole state at a log position: on demand, every N events, on a schedule, before restores; thinned by compaction. */
@Module({
  imports: [JobsModule],
  controllers: [SnapshotsController],
  providers: [SnapshotStore, SnapshotLease, SnapshotCompaction, SnapshotJobs, SnapshotScheduler],
  exports: [SnapshotStore, SnapshotLease, SnapshotJobs],
})
export class SnapshotsModule {}
