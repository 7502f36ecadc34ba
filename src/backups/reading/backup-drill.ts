import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { BackupEntity } from '../catalog/backup.entity';
import { BackupService } from '../catalog/backup.service';
import { BackupTargetStates } from './backup-target-states';

export interface DrillResult {
  backupId: string;
  ok: boolean;
  expectedStateHash: string;
  restoredStateHash: string | null;
  error: string | null;
  drilledAt: string;
}

/**
 * A restore drill: the backup is restored into a scratch database (never the live one) and the
 * restored state's hash is compared with the hash its manifest recorded when it was made. A drill
 * that passes proves the file restores, not only that its bytes are intact. Encrypted backups are
 * drilled with the server key their manifest names, or BACKUP_PASSPHRASE.
 */
@Injectable()
export class BackupDrill {
  constructor(
    private readonly backups: BackupService,
    private readonly states: BackupTargetStates,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Drills `backupId`, or the newest backup when none is named. */
  async drill(backupId?: string): Promise<DrillResult | null> {
    const backup = backupId ? await this.backups.get(backupId) : (await this.backups.list())[0];
    if (!backup) return null;
    const drilledAt = new Date(this.clock.now()).toISOString();
    let restoredStateHash: string | null = null;
    let error: string | null = null;
    try {
      restoredStateHash = await this.states.fresh(backup.id, this.config.values.BACKUP_PASSPHRASE, (state) => state.hash());
    } catch (e) {
      error = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    }
    const ok = error === null && restoredStateHash === backup.stateHash;
    await this.dataSource
      .getRepository(BackupEntity)
      .update({ id: backup.id }, { last_drill_at: drilledAt, last_drill_result: ok ? 'ok' : `failed: ${error ?? 'state hash differs from the manifest'}` });
    return { backupId: backup.id, ok, expectedStateHash: backup.stateHash, restoredStateHash, error, drilledAt };
  }
}
