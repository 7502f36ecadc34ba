import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../common/clock';
import { EventMetadata } from '../domain/event-metadata';
import { snapshotsToKeep } from '../domain/snapshot-retention';
import { EventStore } from '../events/event-store';
import { GlobeReadModel } from '../projections/globe-read-model';
import { restorePointCreated } from '../domain/restore-point';
import { SnapshotLease } from './snapshot-lease';
import { SnapshotStore } from './snapshot-store';

export const SNAPSHOTS_STREAM = 'snapshots';

/**
 * Thins snapshots by the retention policy in the settings. Snapshots are caches: removing one never
 * loses data (every event stays in the log, and any state is rebuilt from the log), it only makes
 * restoring into that era replay more events. Runs under the exclusive lease, so no restore,
 * preview or backup is reading a snapshot it removes, and records what it removed as an event,
 * preceded by an automatic restore point.
 */
@Injectable()
export class SnapshotCompaction {
  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly lease: SnapshotLease,
    private readonly store: EventStore,
    private readonly readModel: GlobeReadModel,
    private readonly clock: Clock,
  ) {}

  async compact(metadata: EventMetadata, onProgress: (done: number, total: number) => void) {
    const policy = (await this.readModel.settings()).snapshotRetention;
    return this.lease.exclusive(async () => {
      const rows = await this.snapshots.rows();
      const keep = snapshotsToKeep(
        rows.map((r) => ({ id: r.id, time: Date.parse(r.recorded_at ?? r.created_at) })),
        this.clock.now(),
        policy,
      );
      // Invalid snapshots are dead weight whatever the policy says; the newest log base is never
      // removed (a compacted log starts from it), older bases are below the log's start and unused.
      const base = rows.find((r) => r.reason === 'log-base' && r.status === 'valid');
      const doomed = rows.filter((r) => r.id !== base?.id && (!keep.has(r.id) || r.status !== 'valid'));
      onProgress(0, doomed.length);
      for (const [i, row] of doomed.entries()) {
        await this.snapshots.remove(row);
        onProgress(i + 1, doomed.length);
      }
      const removed = doomed.map((r) => ({ snapshotId: r.id, position: r.position }));
      const head = await this.store.headPosition();
      await this.store.append(SNAPSHOTS_STREAM, [
        { ...restorePointCreated(uuidv7(), 'Before snapshot compaction', head, true), metadata },
        { type: 'SnapshotsCompacted', data: { removed, kept: rows.length - doomed.length, policy }, metadata },
      ]);
      return { removed: removed.length, kept: rows.length - doomed.length, policy };
    });
  }
}
