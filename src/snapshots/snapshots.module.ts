import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { SnapshotStore } from './snapshot-store';
import { SnapshotsController } from './snapshots.controller';

/** Snapshots of the whole state at a log position: taken on demand, before restores, and (next) on a schedule, thinned by compaction. */
@Module({ imports: [JobsModule], controllers: [SnapshotsController], providers: [SnapshotStore], exports: [SnapshotStore] })
export class SnapshotsModule {}
