import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { BackupCopyEntity } from '../catalog/backup-copy.entity';
import { BackupEntity, catalogFieldsOf } from '../catalog/backup.entity';
import { readBackupManifest } from '../format/read-backup-manifest';
import { BackupStorages, ConfiguredStorage } from './backup-storages';

/** How the service names a backup object: globe-vault-<yyyymmddThhmmss>-<backup id>.gvbk, at the storage's top level. */
export const BACKUP_KEY = /^globe-vault-\d{8}T\d{6}-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.gvbk$/;

export interface DiscoveryReport {
  registered: number;
  copiesFound: number;
  errors: { storage: string; error: string }[];
}

/**
 * Rebuilds the catalog from the storages alone (their LIST and each backup's header): a backup found
 * in a storage but not in the catalog is registered from its manifest (kind `found`, not verified
 * by this instance), and a copy the catalog does not know is recorded as `stored`. So an instance
 * with an empty DATA_DIR pointed at a bucket lists that bucket's backups and restores from them, and
 * nothing depends on an index object in the bucket. A storage that cannot be listed is reported,
 * never fatal.
 */
@Injectable()
export class BackupDiscovery {
  private readonly logger = new Logger(BackupDiscovery.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storages: BackupStorages,
    private readonly clock: Clock,
  ) {}

  async discover(): Promise<DiscoveryReport> {
    const report: DiscoveryReport = { registered: 0, copiesFound: 0, errors: [] };
    for (const target of this.storages.all) {
      try {
        await this.discoverIn(target, report);
      } catch (error) {
        const message = `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}`;
        report.errors.push({ storage: target.storage.describe(), error: message });
        this.logger.warn(`could not list ${target.storage.describe()}: ${message}`);
      }
    }
    return report;
  }

  private async discoverIn(target: ConfiguredStorage, report: DiscoveryReport): Promise<void> {
    const storage = target.storage.describe();
    for (const object of await target.storage.list()) {
      const id = BACKUP_KEY.exec(object.key)?.[1];
      if (!id) continue;
      if (await this.copies().existsBy({ backup_id: id, storage })) continue;
      if (!(await this.backups().existsBy({ id }))) {
        const row = await this.rowFromHeader(target, id, object.key, object.size).catch((error: Error) => {
          this.logger.warn(`${storage}: ${object.key} is not a readable backup (${error.message})`);
          return null;
        });
        if (!row) continue;
        await this.backups().insert(row);
        report.registered++;
      }
      const now = new Date(this.clock.now()).toISOString();
      await this.copies().insert({ backup_id: id, storage, key: object.key, state: 'stored', size: object.size, attempts: 0, next_attempt_at: null, last_error: null, verified_at: null, updated_at: now });
      report.copiesFound++;
    }
  }

  /** The catalog row of a found backup, from its header only (the payload is not read). */
  private async rowFromHeader(target: ConfiguredStorage, id: string, key: string, size: number): Promise<BackupEntity> {
    const { manifest: m, payload } = await readBackupManifest(await target.storage.get(key));
    payload.destroy();
    return {
      id,
      key,
      kind: 'found',
      created_at: m.createdAt,
      size,
      counts: JSON.stringify(m.counts),
      format: 'native',
      compression: m.payload.compression,
      encrypted: m.payload.encryption ? 1 : 0,
      key_id: m.payload.encryption?.kdf === 'hkdf-sha256' ? m.payload.encryption.keyId : null,
      storage: target.storage.describe(),
      head_position: m.headPosition,
      state_hash: m.stateHash,
      includes_history: m.includesHistory ? 1 : 0,
      last_verified_at: null,
      last_verify_result: null,
      last_drill_at: null,
      last_drill_result: null,
      actor: `storage:${target.storage.describe()}`,
      ...catalogFieldsOf(id, m),
    };
  }

  private backups() {
    return this.dataSource.getRepository(BackupEntity);
  }

  private copies() {
    return this.dataSource.getRepository(BackupCopyEntity);
  }
}
