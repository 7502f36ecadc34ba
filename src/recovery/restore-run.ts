import { EventMetadata } from '../domain/event-metadata';
import { ConflictStrategy, RestoreScope, RestoreTarget } from '../domain/restore';
import { Overrides } from '../domain/restore-plan';

/** The stream a restore's events are appended to (its markers and compensating events). */
export const restoreStream = (restoreId: string) => `restore-${restoreId}`;

/** A restore as the API accepted it and its job executes it (RestoreService → RestoreJob). */
export interface RestoreRun {
  restoreId: string;
  /** Without a passphrase (see publicTarget); `passphrase` carries it, in memory only. */
  target: RestoreTarget;
  passphrase?: string;
  position: number;
  scope: RestoreScope;
  strategy: ConflictStrategy;
  overrides: Overrides;
  /** The head the restore must find unchanged; null: whatever it is when the restore writes (undo). */
  basePosition: number | null;
  undoOf: string | null;
  metadata: Omit<EventMetadata, 'correlationId'>;
}
