import { listDatasets } from '../api/globe';
import { useVersion } from './dataChanges';
import { useLoad } from './useLoad';

/** The datasets now, or as of `at` (read-only time travel). */
export function useDatasets(at?: string) {
  const version = useVersion('datasets');
  return useLoad(() => listDatasets(at), [version, at]);
}
