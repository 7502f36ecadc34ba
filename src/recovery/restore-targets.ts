import { Injectable } from '@nestjs/common';
import { NativeMemory } from '../common/native-memory';
import { RestoreTarget } from '../domain/restore';
import { BackupTargetStates } from '../backups/reading/backup-target-states';
import { EventStore } from '../events/event-store';
import { TargetState } from '../projections/target-state';
import { StateAtService } from './state-at.service';
import { TargetHistory } from './target-history';

/**
 * What a restore compares with the live state: the target's state (the log's at a position, or a
 * backup file's) and what the log says changed since (TargetHistory). Shared by the preview (the
 * API) and the restore's job, so both build the same state the same way.
 */
@Injectable()
export class RestoreTargets {
  readonly history: TargetHistory;

  constructor(
    store: EventStore,
    private readonly stateAt: StateAtService,
    private readonly backupStates: BackupTargetStates,
  ) {
    this.history = new TargetHistory(store);
  }

  /** Runs `fn` with the target's state: the log's at a position, or a backup file's. */
  use<R>(target: RestoreTarget, position: number, passphrase: string | undefined, fn: (state: TargetState) => Promise<R>): Promise<R> {
    const built = 'backupId' in target ? this.backupStates.use(target.backupId, passphrase, fn) : this.stateAt.use(position, fn);
    // Building a target state is bulk work (a scratch database, a decoded file): see NativeMemory.
    return built.finally(() => NativeMemory.releaseSoon());
  }
}
