import { Module } from '@nestjs/common';

/**
 * Snapshots of the whole state at a log position, their schedule and compaction. Wired now so the
 * application's shape is whole; the snapshots and point-in-time-recovery issue fills it.
 */
@Module({})
export class SnapshotsModule {}
