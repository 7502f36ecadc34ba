import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig, tmpDirOf } from '../../config/app-config';
import { KeyRing } from '../../config/key-ring';
import { EventStore } from '../../events/event-store';
import { TargetStates } from '../../projections/target-states';
import { BackupEntity, catalogRowOf, verifyResultOf } from '../catalog/backup.entity';
import { BackupCopyEntity } from '../catalog/backup-copy.entity';
import { backupRejected } from '../backup-errors';
import { BackupView, toBackupView } from '../catalog/backup-view';
import { BackupManifest } from '../format/backup-manifest';
import { verifyBackup, VerifyReport } from '../format/verify-backup';
import { verifyWrittenCopy } from '../format/verify-written-copy';
import { BackupPreparationThread } from '../prepared/backup-preparation-thread';
import { backupStateKey, PreparedBackups } from '../prepared/prepared-backups';
import { BackupStorages, StorageChoice } from '../storage/backup-storages';
import { isTransientStorageError } from '../storage/storage-errors';
import { BackupCopies, copyCheckFor } from '../storage/backup-copies';
import type { BackupKind } from '../catalog/backup.service';

/** What the catalog row of an admitted file says: its id, kind, format and who made it. */
export interface AdmittedFields {
  id: string;
  kind: BackupKind;
  format: string;
  actor: string;
  passphrase?: string;
  storage?: StorageChoice;
}

/**
 * The one door into the catalog: a file, written here or uploaded, becomes a listed backup only
 * through `admit`, stored on its storages and verified as stored.
 */
@Injectable()
export class BackupAdmission {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storages: BackupStorages,
    private readonly copies: BackupCopies,
    private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly prepared: PreparedBackups,
    private readonly keys: KeyRing,
    private readonly targetStates: TargetStates,
  ) {}

  /**
   * Stores a file that is ready in `path`, verified, and lists it; the file is decoded in full once.
   * A file from outside (`written` null) is verified in full BEFORE it is stored (one that fails is
   * the sender's problem: 422 with the check that failed and the whole report, and nothing is
   * stored), and the stored copy must then be byte for byte that file (sha256 of both). A file this
   * service just wrote (`written`, its manifest: every line was checked as a reader checks it and
   * the stored bytes decoded back to those lines while it was written, see writePayload) is stored
   * first and the stored copy must hold that manifest and the bytes it names (verifyWrittenCopy):
   * the same guarantee, a row means a stored file that passed every check, without decoding and
   * parsing a million records a second time.
   */
  async admit(
    path: string,
    fields: AdmittedFields,
    written: BackupManifest | null,
  ): Promise<BackupView> {
    let report: VerifyReport | null = null;
    // A file from outside is prepared for the restore that usually follows (its state, and onto an
    // empty log its history) on a worker thread, while this thread verifies it.
    const preparation = written ? null : await this.startPreparation(path, fields.id, fields.passphrase);
    try {
      if (!written) {
        report = await verifyBackup(createReadStream(path), { passphrase: fields.passphrase, keys: this.keys.all() });
        if (!report.ok || !report.manifest) throw backupRejected(report);
      }
      const manifest = written ?? report!.manifest!;
      const key = `globe-vault-${manifest.createdAt.replace(/[-:.]/g, '').slice(0, 15)}-${fields.id}.gvbk`;
      const targets = this.storages.select(fields.storage ?? 'default');
      const outcomes = await this.copies.storeAll(targets, key, path, copyCheckFor(path, written));
      const stored = outcomes.find((o) => !o.error);
      // A store that cannot be reached never loses the backup: its copy waits in the queue. A
      // backup no storage would take for a lasting reason (credentials, a missing bucket, a copy
      // that did not verify) fails with that reason, and nothing of it stays.
      if (!stored && outcomes.every((o) => !isTransientStorageError(o.error))) throw outcomes[0].error;
      const copyRows = this.copies.rowsFor(fields.id, key, outcomes);
      if (outcomes.some((o) => o.error)) await this.copies.enqueue(path, key);
      report ??= stored?.report ?? (await verifyWrittenCopy(createReadStream(path), manifest));
      const row = { ...catalogRowOf(fields, key, stored?.size ?? (await stat(path)).size, manifest, targets[0].storage.describe(), new Date(this.clock.now()).toISOString()), last_verify_result: verifyResultOf(report) };
      for (const copy of copyRows) if (copy.state === 'verified') copy.verified_at = row.last_verified_at;
      await this.dataSource.transaction(async (tx) => {
        await tx.getRepository(BackupEntity).upsert(row, ['id']);
        await tx.getRepository(BackupCopyEntity).upsert(copyRows, ['backup_id', 'storage']);
      });
      if (preparation) this.prepared.keep({ backupId: fields.id, key: backupStateKey(fields.id, fields.passphrase), manifest, files: preparation.prepared(manifest), cancel: () => preparation.cancel() });
      return toBackupView(row, copyRows);
    } catch (error) {
      await preparation?.cancel();
      throw error;
    }
  }

  private async startPreparation(file: string, id: string, passphrase: string | undefined): Promise<BackupPreparationThread> {
    const stageHistory = (await this.store.headPosition()) === 0;
    return BackupPreparationThread.start(file, {
      passphrase,
      keys: this.keys.all(),
      paths: {
        statePath: join(tmpDirOf(this.config), `state-backup-${id}.sqlite`),
        historyPath: stageHistory ? join(tmpDirOf(this.config), `history-backup-${id}.sqlite`) : null,
        schemaSql: this.targetStates.schemaStatements(),
      },
    });
  }
}
