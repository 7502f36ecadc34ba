import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AppError } from '../common/app-error';
import { EventStore } from '../events/event-store';
import { LiveReadModels } from '../projections/live-read-models';
import { Projector } from '../projections/projector';
import { BackupTargetStates } from '../backups/reading/backup-target-states';
import { StateAtService } from './state-at.service';

/** `?at=<ISO time>` on read endpoints: the same query, answered by the state as of that time. */
export const atQuery = z.iso.datetime({ offset: true }).optional();

/**
 * Runs a read against the live read models, or, given a time, against the state at the last
 * position recorded at or before it, or against a backup's state (an unencrypted one: the globe
 * preview of the Restore Wizard). Read-only by construction: the past and backups are scratch copies.
 */
@Injectable()
export class TimeTravel {
  constructor(
    @InjectDataSource() private readonly live: DataSource,
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly stateAt: StateAtService,
    private readonly backupStates: BackupTargetStates,
    private readonly liveModels: LiveReadModels,
  ) {}

  async read<R>({ at, backupId }: { at?: string; backupId?: string }, fn: (dataSource: DataSource) => Promise<R>): Promise<R> {
    if (backupId !== undefined) return this.backupStates.use(backupId, undefined, (state) => fn(state.dataSource));
    if (at === undefined) return fn(this.live);
    const position = await this.store.positionAt(at);
    return this.stateAt.use(position, (state) => fn(state.dataSource));
  }

  /**
   * Counts and the position used, for `GET /api/state`. The present (no `at`, no `position`) is
   * answered by the live read models, needing no scratch space: it keeps answering on a full disk.
   * A past state is built in a scratch file (a snapshot plus replay), as every time-travel read is.
   */
  async summary(at: string | undefined, position: number | undefined) {
    const head = await this.store.headPosition();
    if (at === undefined && position === undefined) {
      // The read models catch up with the head first, unless they have no room to: then they answer
      // as they are, their position (below the head) saying so.
      await this.projector.waitFor(head, undefined, { unlessStorageFull: true }).catch((error) => {
        if (!(error instanceof AppError && error.code === 'STORAGE.FULL')) throw error;
      });
      return { at: null, ...(await this.liveCounts()), head: Math.max(head, await this.store.headPosition()) };
    }
    const target = position ?? (at === undefined ? head : await this.store.positionAt(at));
    if (target === head && at === undefined) await this.projector.waitFor(head);
    return this.stateAt.use(Math.min(target, head), async (state) => {
      const { datasets, locations, configurations } = await state.counts();
      return {
        at: at ?? null,
        position: state.position,
        head,
        snapshotPosition: state.snapshotPosition,
        replayedEvents: state.replayed,
        counts: { datasets, locations, configurations },
      };
    });
  }

  /** The live read models' position and counts, read together (they agree with each other). */
  private async liveCounts() {
    const { position, counts } = await this.liveModels.counts();
    return { position, snapshotPosition: null, replayedEvents: 0, counts };
  }
}

