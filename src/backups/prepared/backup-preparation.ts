import { rmSync } from 'node:fs';
import { IncompleteHistoryError } from '../../events/event-store.errors';
import { RecordedEvent } from '../../events/event-store';
import { HistoryStage } from '../../events/sqlite/stage-history';
import { StateFileWriter } from '../../projections/sqlite/state-file-writer';
import { BackupManifest } from '../format/backup-manifest';
import { BackupRecord } from '../format/backup-record';

export interface PreparationPaths {
  /** The state file the state is loaded into (created from `schemaSql`). */
  statePath: string;
  /** Where to stage the history for adoption; null: do not stage it. */
  historyPath: string | null;
  /** How to create an empty state (TargetStates.schemaStatements). */
  schemaSql: string[];
}

/**
 * What a restore from a backup needs, made from its records (see BackupPreparationThread): the state,
 * loaded into a state file exactly as BackupTargetStates loads it (TargetStates.load: the same
 * StateFileWriter, which runs here in the worker, SQLite-specific like this whole fast path), and, if asked, the
 * history staged as the log's own rows for adoption. Only a history that starts at position 1 and
 * runs unbroken to the manifest's head is kept (a compacted log's backup cannot be adopted).
 * Unproven until the file it was made from passed verification; `discard` removes everything.
 */
export class BackupPreparation {
  private readonly state: StateFileWriter;
  private history: HistoryStage | null = null;

  constructor(
    paths: PreparationPaths,
    private readonly manifest: BackupManifest,
  ) {
    this.state = new StateFileWriter(paths.statePath, paths.schemaSql, manifest.headPosition);
    try {
      if (paths.historyPath && manifest.includesHistory && manifest.counts.events > 0) this.history = new HistoryStage(paths.historyPath);
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  add(record: BackupRecord): void {
    if (record.t !== 'event') this.state.add(record);
    else if (this.history) this.stage(record.v as unknown as RecordedEvent);
  }

  /** Writes what is left and closes the files; answers whether the history was staged whole. */
  finish(): { historyStaged: boolean } {
    this.state.finish();
    if (!this.history) return { historyStaged: false };
    this.history.finish();
    const whole = this.history.head === this.manifest.headPosition;
    if (!whole) this.dropHistory();
    else this.history.close();
    return { historyStaged: whole };
  }

  discard(): void {
    this.state.discard();
    this.dropHistory();
  }

  private stage(event: RecordedEvent): void {
    try {
      this.history!.add(event);
    } catch (error) {
      if (!(error instanceof IncompleteHistoryError)) throw error;
      this.dropHistory();
    }
  }

  private dropHistory(): void {
    if (!this.history) return;
    this.history.close();
    rmSync(this.history.path, { force: true });
    this.history = null;
  }
}
