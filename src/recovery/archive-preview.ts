import { Inject, Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { ArchivePoint, ArchiveTarget, emptyReading } from '../archive/archive-history';
import { listSegments } from '../archive/archive-catalog';
import { ArchiveService } from '../archive/archive.service';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { RestoreScope, RestoreTarget } from '../domain/restore';
import { EventStore, RecordedEvent } from '../events/event-store';
import { TargetStates } from '../projections/target-states';
import { PreviewClaims, signPreview } from './preview-token';
import type { Preview } from './restore.service';
import { SERVER_SECRET } from '../common/server-secret.provider';

/** What a restore from the archive will read, as its preview shows it. */
export interface ArchivePreviewPart {
  storage: string;
  epoch: number;
  objects: { key: string; bytes: number; from: number; to: number }[];
  bytes: number;
  /** The archived event the target lands on. */
  target: ArchivePoint;
}

/**
 * The preview of a restore from the storage alone: on an instance whose log is empty, a time or
 * position target is looked up in the archive (ARCHIVE_STORAGE), not in the empty log. The
 * history up to the target is read and verified object by object (a hole or a damaged object
 * fails the preview with ARCHIVE.GAP / ARCHIVE.CHECKSUM_MISMATCH and the newest point still
 * reachable) and folded into a scratch state, which is diffed with the (empty) live one like any
 * target. The restore then adopts that same history (HistoryAdoption.adoptArchive).
 */
@Injectable()
export class ArchivePreview {
  constructor(
    private readonly log: EventStore,
    private readonly archive: ArchiveService,
    private readonly clock: Clock,
    private readonly states: TargetStates,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SERVER_SECRET) private readonly secret: Buffer,
  ) {}

  /** Whether this target is read from the archive: an empty log, an archive holding segments, a time or a position. */
  async applies(target: RestoreTarget): Promise<boolean> {
    if (!this.archive.history || !('at' in target || 'position' in target)) return false;
    if ((await this.log.headPosition()) !== 0) return false;
    return (await listSegments(this.archive.store!)).length > 0;
  }

  async preview(target: ArchiveTarget, scope: RestoreScope): Promise<Preview & { archive: ArchivePreviewPart }> {
    const history = this.archive.history!;
    const source = await history.sourceFor(target);
    const reading = emptyReading();
    const path = join(tmpDirOf(this.config), `state-archive-${uuidv7()}.sqlite`);
    const replayed = await this.fold(history.events(source, target, reading), path);
    const state = await this.states.open(path, reading.target.position, 0, replayed);
    try {
      const { diff } = await state.diffWithLive(scope, 0, null);
      const position = reading.target.position;
      const claims: PreviewClaims = { v: 1, target, position, scope, basePosition: 0, issuedAt: new Date(this.clock.now()).toISOString() };
      return {
        previewToken: signPreview(claims, this.secret),
        target,
        position,
        basePosition: 0,
        scope,
        snapshotPosition: 0,
        replayedEvents: replayed,
        ...diff,
        archive: { storage: source.storage, epoch: source.epoch, objects: reading.objects, bytes: reading.bytes, target: reading.target },
      };
    } finally {
      await state.close();
    }
  }

  /** The events folded into a fresh state at `path`; nothing is left there if the fold fails. */
  private async fold(events: AsyncIterable<RecordedEvent>, path: string): Promise<number> {
    try {
      await this.states.createEmpty(path);
      return await this.states.replay(path, events);
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }
}
