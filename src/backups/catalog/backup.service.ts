import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../../common/clock';
import { AppConfig, tmpDirOf } from '../../config/app-config';
import { KeyRing } from '../../config/key-ring';
import { ServerKey } from '../../config/server-keys';
import { EventStore } from '../../events/event-store';
import { SqliteEventStore } from '../../events/sqlite/sqlite-event-store';
import { JobContext, JobRunner } from '../../jobs/job-runner';
import { Projector } from '../../projections/projector';
import { LiveReadModels } from '../../projections/live-read-models';
import { TargetStates } from '../../projections/target-states';
import { BackupEntity, verifyResultOf } from './backup.entity';
import { backupNotFound, keyNotConfigured } from '../backup-errors';
import { BackupView, toBackupView } from './backup-view';
import { APP_VERSION } from '../app-version';
import { BackupManifest, Compression } from '../format/backup-manifest';
import { verifyBackup, VerifyReport } from '../format/verify-backup';
import { writeBackupFile } from '../format/write-backup-file';
import { backupLines, backupRecordCount, HistorySource } from '../writing/backup-lines';
import { backupStateKey, PreparedBackups } from '../prepared/prepared-backups';
import { BackupStorages, StorageChoice } from '../storage/backup-storages';
import { BackupCopies } from '../storage/backup-copies';
import { BackupDiscovery, DiscoveryReport } from '../storage/backup-discovery';
import { BackupAdmission } from '../writing/backup-admission';

export type BackupKind = 'manual' | 'scheduled' | 'pre-restore' | 'uploaded';

export interface CreateBackup {
  kind: Exclude<BackupKind, 'uploaded'>;
  compression: Compression;
  /** With `passphrase`, encrypted with it; else with `encrypt`, with the server's current key. */
  passphrase?: string;
  encrypt?: boolean;
  includeHistory: boolean;
  actor: string;
  /** The user's name for the backup, kept in its manifest and its history row. */
  label?: string;
  /** Which configured storages get a copy (default: every one). */
  storage?: StorageChoice;
}

/** Failures that say nothing about the file, only about the secret it was read with. */
const SECRET_FAILURES = new Set(['BACKUP.WRONG_PASSPHRASE', 'BACKUP.KEY_MISSING', 'BACKUP.WRONG_KEY']);
/** How long start-up waits for the storages to be listed before it goes on (the listing then finishes in the background). */
const DISCOVERY_WAIT_MS = 10_000;

/**
 * Backups as a product. A backup is the state at one log position (read in one transaction while
 * writes go on), optionally with the history up to it, written to a temporary file (every record
 * checked and the payload decoded back as it is written), stored, verified as stored, and only then
 * listed: a row in the history means a complete file that passed every check when it was made.
 */
@Injectable()
export class BackupService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storages: BackupStorages,
    private readonly copies: BackupCopies,
    private readonly discovery: BackupDiscovery,
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly readModels: LiveReadModels,
    private readonly targetStates: TargetStates,
    private readonly prepared: PreparedBackups,
    private readonly keys: KeyRing,
    private readonly admission: BackupAdmission,
  ) {}

  /**
   * A crash between storing a backup and listing it leaves complete files no row names: remove the
   * files of backup jobs the crash interrupted (their keys end with the backup's id) from every
   * storage that can be reached, and queue files no copy waits for. Then the catalog learns what the
   * storages hold (BackupDiscovery), so a fresh DATA_DIR lists the backups of its storages.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.settleInterrupted('backup', async (view) => {
      const backupId = String(view.params.backupId);
      if (await this.repo().findOneBy({ id: backupId })) return null;
      for (const { storage } of this.storages.all) {
        const objects = await storage.list().catch(() => []);
        for (const o of objects) if (o.key.endsWith(`-${backupId}.gvbk`)) await storage.delete(o.key).catch(() => undefined);
      }
      return null;
    });
    await this.copies.sweepOutbox();
    await Promise.race([this.discovery.discover(), new Promise((r) => setTimeout(r, DISCOVERY_WAIT_MS).unref())]);
  }

  /** Registers the backups the storages hold that the catalog does not know. */
  refresh(): Promise<DiscoveryReport> {
    return this.discovery.discover();
  }

  /**
   * Starts a backup job; answers at once with the ids of the job and of the backup it will make.
   * Encryption asked without a passphrase and without a server key is refused here (400), before any job.
   */
  async start(spec: CreateBackup): Promise<{ jobId: string; backupId: string }> {
    if (spec.storage !== undefined) this.storages.select(spec.storage);
    const backupId = uuidv7();
    const serverKey = this.serverKeyFor(spec);
    const encrypted = !!spec.passphrase || !!serverKey;
    const job = await this.jobs.start(
      { kind: 'backup', actor: spec.actor, params: { backupId, kind: spec.kind, compression: spec.compression, encrypted, includeHistory: spec.includeHistory, ...(spec.storage !== undefined ? { storage: spec.storage } : {}), ...(spec.label !== undefined ? { label: spec.label } : {}) } },
      (ctx) => this.create(ctx, backupId, spec, serverKey),
    );
    return { jobId: job.id, backupId };
  }

  /** The key a backup is sealed with: the server's current one, when encryption is asked without a passphrase. */
  private serverKeyFor(spec: CreateBackup): ServerKey | undefined {
    if (!spec.encrypt || spec.passphrase !== undefined) return undefined;
    const key = this.keys.current();
    if (!key) throw keyNotConfigured('encrypt without a passphrase needs a server key: set BACKUP_KEY or BACKUP_KEY_FILE, or give a passphrase');
    return key;
  }

  async list(): Promise<BackupView[]> {
    const rows = await this.repo().find({ order: { created_at: 'DESC', id: 'DESC' } });
    const copies = await this.copies.copiesOf(rows.map((r) => r.id));
    return rows.map((r) => toBackupView(r, copies.get(r.id)));
  }

  async get(id: string): Promise<BackupView> {
    const row = await this.row(id);
    return toBackupView(row, (await this.copies.copiesOf([id])).get(id));
  }

  /** The backup's bytes from whichever copy answers first: the local queue file, local storages, then remote ones. */
  async open(id: string): Promise<{ backup: BackupView; body: Readable }> {
    const backup = await this.get(id);
    return { backup, body: await this.copies.open(await this.row(id)) };
  }

  /** Removes every copy of a backup, then its row. */
  async remove(id: string): Promise<void> {
    await this.row(id);
    await this.removeCopies(id, () => true);
  }

  /**
   * Removes the copies of a backup on the storages `which` picks (retention applies per storage);
   * the row goes with its last copy.
   */
  async removeCopies(id: string, which: (storage: string) => boolean): Promise<void> {
    const copies = (await this.copies.copiesOf([id])).get(id) ?? [];
    for (const copy of copies.filter((c) => which(c.storage))) await this.copies.removeCopy(copy);
    if (copies.some((c) => !which(c.storage))) return;
    const row = await this.repo().findOneBy({ id });
    if (row) await this.copies.releaseIfDone(row.key);
    await this.repo().delete({ id });
    await this.prepared.forget(id);
  }

  /** Reads the whole stored file, checks every checksum and record, and records the result. */
  async verify(id: string, passphrase?: string): Promise<VerifyReport & { backupId: string; verifiedAt: string }> {
    const row = await this.row(id);
    const report = await verifyBackup(await this.copies.open(row), { passphrase, keys: this.keys.all() });
    const verifiedAt = this.now();
    // A mistyped passphrase or a key this server lacks says nothing about the file: the record keeps what it knew.
    if (!SECRET_FAILURES.has(report.error?.code ?? '')) {
      await this.repo().update({ id }, { last_verified_at: verifiedAt, last_verify_result: verifyResultOf(report) });
    }
    return { ...report, backupId: id, verifiedAt };
  }

  private async create(job: JobContext, id: string, spec: CreateBackup, serverKey: ServerKey | undefined): Promise<BackupView> {
    await this.projector.waitFor(await this.store.headPosition());
    const tmp = join(this.tmpDir(), `backup-${id}.gvbk`);
    let written: BackupManifest;
    try {
      const reader = await this.readModels.reader();
      try {
        job.progress({ phase: 'writing', done: 0, total: backupRecordCount(reader, spec.includeHistory, await this.store.firstPosition()) });
        written = await writeBackupFile(
          backupLines(reader, spec.includeHistory ? this.historySource() : null, job.signal),
          {
            appVersion: APP_VERSION,
            createdAt: this.now(),
            backupId: id,
            ...(spec.label !== undefined ? { label: spec.label } : {}),
            headPosition: reader.position,
            headRecordedAt: await this.recordedAt(reader.position),
            includesHistory: spec.includeHistory,
            ...(await this.chainHeadOf(reader.position)),
          },
          tmp,
          { compression: spec.compression, passphrase: spec.passphrase, serverKey, tmpDir: this.tmpDir(), signal: job.signal, onProgress: (p) => job.progress({ done: p.records, bytes: p.rawBytes }) },
        );
      } finally {
        reader.close();
      }
      job.progress({ phase: 'verifying', cancellable: false });
      const view = await this.admission.admit(tmp, { id, kind: spec.kind, format: 'native', actor: spec.actor, passphrase: spec.passphrase, storage: spec.storage }, written);
      this.prepareState(id, written, spec.passphrase);
      return view;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * After the backup: the live read models are copied on a worker thread, outside the job (~0.8 s
   * per million locations), and kept (PreparedBackups) for the preview and restore of this backup
   * if they are still at its position (the usual case: a restore from the newest backup usually
   * follows a mistake made after it, though, so the copy is taken now, before one).
   */
  private prepareState(id: string, manifest: BackupManifest, passphrase: string | undefined): void {
    const statePath = join(this.tmpDir(), `state-backup-${id}.sqlite`);
    const files = this.targetStates.copyLiveAt(statePath, manifest.headPosition).then((ok) => (ok ? { statePath, historyPath: null } : null));
    this.prepared.keep({ backupId: id, key: backupStateKey(id, passphrase), manifest, files });
  }

  private async chainHeadOf(position: number): Promise<{ chainHead?: { position: number; hash: string } }> {
    const head = await this.store.chainHeadAt(position);
    return head ? { chainHead: head } : {};
  }

  private async recordedAt(position: number): Promise<string | null> {
    for await (const e of this.store.readAll({ fromPosition: position, toPosition: position })) return e.recordedAt;
    return null;
  }

  private async row(id: string): Promise<BackupEntity> {
    const row = await this.repo().findOneBy({ id });
    if (!row) throw backupNotFound(id);
    return row;
  }

  /**
   * Where backups read the history from: the embedded log's file (the path events.module.ts gives
   * it), whose rows are copied as stored; any other EventStore through readAll.
   */
  historySource(): HistorySource {
    return this.store instanceof SqliteEventStore ? { logFile: join(this.config.values.dataDir, 'events.sqlite') } : { store: this.store };
  }

  tmpDir(): string {
    return tmpDirOf(this.config);
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private repo() {
    return this.dataSource.getRepository(BackupEntity);
  }
}
