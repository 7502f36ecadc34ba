import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../common/clock';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { EventStore } from '../events/event-store';
import { READ_MODEL_SCHEMA_VERSION } from '../projections/entities/read-model-entities';
import { LiveReadModels } from '../projections/live-read-models';
import { StateCounts } from '../projections/target-state';
import { TargetStates } from '../projections/target-states';
import { SnapshotCompressor } from './snapshot-file';
import { checkSnapshotFile, decompressSnapshot } from './snapshot-file-check';
import { SnapshotSpare } from './snapshot-spare';
import { SnapshotEntity } from './snapshot.entity';

/** `log-base`: the state a compacted log starts from; kept whatever the retention policy says. */
export type SnapshotReason = 'auto' | 'scheduled' | 'manual' | 'pre-restore' | 'pre-import' | 'log-base';

export interface SnapshotView {
  id: string;
  position: number;
  recordedAt: string | null;
  schemaVersion: number;
  stateHash: string;
  /** The log's chain hash at `position`: a witness `GET /api/audit/verify` checks the log against. */
  chainHead: string | null;
  bytes: number;
  counts: StateCounts;
  reason: SnapshotReason;
  status: string;
  createdAt: string;
}

/** A snapshot whose copy is taken and which a worker is finishing; `done` resolves once it is listed. */
export interface PendingSnapshot {
  position: number;
  done: Promise<SnapshotView>;
}

export const toSnapshotView = (row: SnapshotEntity): SnapshotView => ({
  id: row.id,
  position: row.position,
  recordedAt: row.recorded_at,
  schemaVersion: row.schema_version,
  stateHash: row.state_hash,
  chainHead: row.chain_head,
  bytes: row.bytes,
  counts: JSON.parse(row.counts),
  reason: row.reason as SnapshotReason,
  status: row.status,
  createdAt: row.created_at,
});

/**
 * Snapshots are caches of the state at an exact log position; the log stays the truth.
 * A snapshot is `VACUUM INTO` of the read models (a consistent copy at their checkpoint, taken
 * between two projector transactions), stripped to the state tables, hashed and gzip-compressed in
 * a worker thread, written under a temporary name, fsynced, renamed, and only then recorded (listed). Loading checks the file's sha256 and the schema version: a
 * snapshot that fails either is marked invalid and skipped, never trusted.
 */
@Injectable()
export class SnapshotStore implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SnapshotStore.name);
  private readonly pending = new Map<string, PendingSnapshot>();
  private readonly compressor = new SnapshotCompressor();
  private readonly spare: SnapshotSpare;
  readonly dir: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readModels: LiveReadModels,
    private readonly states: TargetStates,
    @Inject(AppConfig) config: AppConfig,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {
    this.dir = join(config.values.dataDir, 'snapshots');
    this.spare = new SnapshotSpare(tmpDirOf(config));
    mkdirSync(this.dir, { recursive: true });
  }

  /**
   * Removes what a crash mid-snapshot leaves: temporary copies, and a finished file whose record was
   * never written (the crash fell between the rename and the insert). Neither is ever used.
   */
  async onModuleInit(): Promise<void> {
    const known = new Set((await this.repo().find({ select: { file: true } })).map((r) => r.file));
    for (const name of await readdir(this.dir)) {
      if (name.startsWith('.tmp-') || (name.startsWith('snap-') && !known.has(name))) await rm(join(this.dir, name), { force: true });
    }
  }

  /** A snapshot of the live read models at their checkpoint, once stored and listed. */
  async take(reason: SnapshotReason): Promise<SnapshotView> {
    return (await this.begin(reason)).done;
  }

  /**
   * Copies the live read models now (LiveReadModels.exportState: on SQLite a `VACUUM INTO` on this
   * thread, a consistent copy at their checkpoint; ~1 s per million rows), and finishes the
   * snapshot in a worker thread. Until `done` resolves the snapshot is not listed, and stateAt at or
   * after its position waits for it (see settled); a failure leaves no record and no file.
   */
  async begin(reason: SnapshotReason): Promise<PendingSnapshot> {
    const id = uuidv7();
    const copyPath = join(this.dir, `.tmp-${id}.sqlite`);
    return this.finish(id, copyPath, await this.readModels.exportState(copyPath), reason);
  }

  /** A snapshot of a scratch state (the state at some past position), e.g. the base of a compacted log. */
  async takeFrom(scratchPath: string, reason: SnapshotReason): Promise<SnapshotView> {
    return (await this.beginFrom(scratchPath, reason)).done;
  }

  /**
   * begin, from a scratch state instead of the live read models: the file is copied (by the file
   * system, off this thread) and the snapshot finished as begin finishes it. For a state the live
   * read models were just loaded from, this is their snapshot without a `VACUUM INTO` of them.
   */
  async beginFrom(scratchPath: string, reason: SnapshotReason): Promise<PendingSnapshot> {
    const id = uuidv7();
    const copyPath = join(this.dir, `.tmp-${id}.sqlite`);
    return this.finish(id, copyPath, await this.states.exportFile(scratchPath, copyPath), reason);
  }

  /** Whether a snapshot exactly at `position` is listed, or being finished. */
  async hasAt(position: number): Promise<boolean> {
    if ([...this.pending.values()].some((p) => p.position === position)) return true;
    return (await this.candidatesAtOrBefore(position))[0]?.position === position;
  }

  /** Resolves once every snapshot being finished at or before `position` is listed or has failed. */
  async settled(position: number): Promise<void> {
    const waits = [...this.pending.values()].filter((p) => p.position <= position).map((p) => p.done.catch(() => undefined));
    await Promise.all(waits);
  }

  /** Decompresses the newest snapshot ahead of the first stateAt that will want it. */
  async onApplicationBootstrap(): Promise<void> {
    const newest = (await this.candidatesAtOrBefore(Number.MAX_SAFE_INTEGER))[0];
    if (newest) this.spare.prepare(newest.id, (path) => this.invalidatingOnError(newest, path, () => decompressSnapshot(this.dir, newest, path)));
  }

  async onModuleDestroy(): Promise<void> {
    await this.settled(Number.MAX_SAFE_INTEGER);
    await this.compressor.close();
    await this.spare.settled();
  }

  /**
   * Has a worker hash, compress and fsync a state file (its position read as it was written);
   * renames the result and records it. The copy is removed whatever happens.
   */
  private finish(id: string, copyPath: string, position: number, reason: SnapshotReason): PendingSnapshot {
    const done = this.compressAndRecord(id, copyPath, position, reason).finally(() => this.pending.delete(id));
    const pending = { position, done };
    this.pending.set(id, pending);
    return pending;
  }

  private async compressAndRecord(id: string, copyPath: string, position: number, reason: SnapshotReason): Promise<SnapshotView> {
    const gzPath = join(this.dir, `.tmp-${id}.sqlite.gz`);
    try {
      const { stateHash, counts, fileSha256 } = await this.compressor.compress(copyPath, gzPath);
      const file = `snap-${String(position).padStart(12, '0')}-${id}.sqlite.gz`;
      await rename(gzPath, join(this.dir, file));
      const row: SnapshotEntity = {
        id,
        position,
        recorded_at: await this.recordedAtOf(position),
        schema_version: READ_MODEL_SCHEMA_VERSION,
        state_hash: stateHash,
        chain_head: (await this.store.chainHeadAt(position))?.hash ?? null,
        file,
        file_sha256: fileSha256,
        bytes: (await stat(join(this.dir, file))).size,
        counts: JSON.stringify(counts),
        reason,
        status: 'valid',
        created_at: new Date(this.clock.now()).toISOString(),
      };
      await this.repo().insert(row);
      // The copy is the snapshot decompressed: the spare, if this is now the newest snapshot.
      if ((await this.candidatesAtOrBefore(Number.MAX_SAFE_INTEGER))[0]?.id === id) await this.spare.offer(id, copyPath);
      return toSnapshotView(row);
    } finally {
      await rm(gzPath, { force: true });
      await rm(copyPath, { force: true });
    }
  }

  async list(): Promise<SnapshotView[]> {
    return (await this.repo().find({ order: { position: 'DESC', id: 'DESC' } })).map(toSnapshotView);
  }

  /** Usable snapshots at or before `position`, newest first. */
  async candidatesAtOrBefore(position: number): Promise<SnapshotEntity[]> {
    return this.repo().find({
      where: { position: LessThanOrEqual(position), status: 'valid', schema_version: READ_MODEL_SCHEMA_VERSION },
      order: { position: 'DESC', id: 'DESC' },
    });
  }

  /**
   * Writes a snapshot's state to `targetPath`, checking the file's sha256 first: its spare if it
   * has one (SnapshotSpare; the check then reads only the ~70 MB file), else decompressing it with
   * the check as it streams. On a mismatch or a read error the snapshot is marked invalid (and
   * logged), its spare dropped, and the call throws.
   */
  async materialize(snapshot: SnapshotEntity, targetPath: string): Promise<void> {
    return this.invalidatingOnError(snapshot, targetPath, async () => {
      if (this.spare.holds(snapshot.id)) {
        await checkSnapshotFile(this.dir, snapshot);
        if (await this.spare.take(snapshot.id, targetPath)) return;
      }
      await decompressSnapshot(this.dir, snapshot, targetPath);
    });
  }

  private async invalidatingOnError(snapshot: SnapshotEntity, targetPath: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      const reason = `invalid: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.warn(`snapshot ${snapshot.id} at position ${snapshot.position} is unusable and ignored: ${reason}`);
      this.spare.drop(snapshot.id);
      await this.repo().update({ id: snapshot.id }, { status: reason.slice(0, 500) });
      await rm(targetPath, { force: true });
      throw error;
    }
  }

  async remove(snapshot: { id: string; file: string }): Promise<void> {
    this.spare.drop(snapshot.id);
    await this.repo().delete({ id: snapshot.id });
    await rm(join(this.dir, snapshot.file), { force: true });
  }

  async rows(): Promise<SnapshotEntity[]> {
    return this.repo().find({ order: { position: 'DESC', id: 'DESC' } });
  }

  /** The time of the state at `position`: its event's, or (the event compacted away) the first one after it. */
  private async recordedAtOf(position: number): Promise<string | null> {
    if (position === 0) return null;
    for await (const event of this.store.readAll({ fromPosition: position, limit: 1 })) return event.recordedAt;
    return null;
  }

  private repo() {
    return this.dataSource.getRepository(SnapshotEntity);
  }
}
