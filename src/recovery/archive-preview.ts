import { Inject, Injectable } from '@nestjs/common';
import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { ArchivePoint, ArchiveTarget, emptyReading } from '../archive/archive-history';
import { listSegments } from '../archive/archive-catalog';
import { ArchiveService } from '../archive/archive.service';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { RestoreScope, RestoreTarget } from '../domain/restore';
import { EventStore, RecordedEvent } from '../events/event-store';
import { READ_MODEL_DB } from '../projections/sqlite/read-model-db';
import { SqliteReadModelWriter } from '../projections/sqlite/sqlite-read-model-writer';
import { eventWeight } from '../projections/weighted-slices';
import { copyReadModelSchema } from '../projections/sqlite/read-model-schema';
import { PreviewClaims, signPreview } from './preview-token';
import type { Preview } from './restore.service';
import { ScratchState } from '../projections/sqlite/scratch-state';
import { SERVER_SECRET } from '../common/server-secret.provider';
import { diffStates, withLiveAttached } from '../projections/sqlite/state-diff';

/** Rows one apply writes at most (a LocationsAdded event weighs its locations), as stateAt replays. */
const MAX_ROWS_PER_APPLY = 20_000;

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
    @Inject(READ_MODEL_DB) private readonly liveDb: Database.Database,
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
    const state = await ScratchState.open(path, reading.target.position, 0, replayed);
    try {
      const diff = await withLiveAttached(state.db, this.liveDb.name, () => diffStates(state.db, scope, null));
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

  /** The events folded into a fresh scratch state at `path`, by batches, yielding between them. */
  private async fold(events: AsyncIterable<RecordedEvent>, path: string): Promise<number> {
    const db = new Database(path);
    let replayed = 0;
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      copyReadModelSchema(this.liveDb, db);
      const writer = new SqliteReadModelWriter(db);
      let batch: RecordedEvent[] = [];
      let weight = 0;
      for await (const event of events) {
        batch.push(event);
        weight += eventWeight(event);
        if (weight >= MAX_ROWS_PER_APPLY || batch.length >= 1000) {
          writer.apply(batch, 'globe');
          replayed += batch.length;
          [batch, weight] = [[], 0];
          await yieldToEventLoop();
        }
      }
      writer.apply(batch, 'globe');
      return replayed + batch.length;
    } catch (error) {
      db.close();
      await rm(path, { force: true });
      throw error;
    } finally {
      if (db.open) db.close();
    }
  }
}
