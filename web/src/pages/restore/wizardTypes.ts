import type { RestoreScope, RestoreTarget } from '../../api/types';

export const STEPS = [
  { key: 'source', label: 'Source' },
  { key: 'scope', label: 'What to restore' },
  { key: 'preview', label: 'Preview' },
  { key: 'globe', label: 'Globe preview' },
  { key: 'confirm', label: 'Confirm' },
  { key: 'progress', label: 'Restore' },
] as const;

export type StepKey = (typeof STEPS)[number]['key'];

/** Where the restore goes back to, in words and with the moment it stands for (when there is one). */
export interface ChosenSource {
  target: RestoreTarget;
  label: string;
  /** The time of the state restored, for views that read the past by time (datasets, the globe); null for a backup. */
  at: string | null;
  /** The backup restored from, for views that read a backup's state (the globe preview). */
  backupId?: string;
  /** Why the globe preview is not drawn for this source, when it is not. */
  noGlobe?: string;
  /** A Globe app "Save Project" file uploaded as a backup: loaded as a new dataset unless the user chooses to replace everything. */
  project?: boolean;
}

export interface ScopeChoice {
  everything: boolean;
  datasets: string[];
  settings: boolean;
  configurations: boolean;
}

export const WHOLE_SCOPE: ScopeChoice = { everything: true, datasets: [], settings: false, configurations: false };

export function toScope(choice: ScopeChoice): RestoreScope {
  if (choice.everything) return {};
  return {
    ...(choice.datasets.length > 0 ? { datasets: choice.datasets } : {}),
    ...(choice.settings ? { settings: true as const } : {}),
    ...(choice.configurations ? { configurations: true as const } : {}),
  };
}

export const scopeIsEmpty = (choice: ScopeChoice) => !choice.everything && choice.datasets.length === 0 && !choice.settings && !choice.configurations;
