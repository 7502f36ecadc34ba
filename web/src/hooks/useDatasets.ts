import { listDatasets } from '../api/globe';
import { useVersion } from './dataChanges';
import { useLoad } from './useLoad';

/** The datasets now, as of `at` (read-only time travel), or as a backup holds them. */
export function useDatasets(at?: string, backupId?: string) {
  const version = useVersion('datasets');
  return useLoad(() => listDatasets(at, backupId), [version, at, backupId]);
}
