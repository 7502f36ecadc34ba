import { listBackups } from '../../api/backups';
import { useVersion } from '../../hooks/dataChanges';
import { useLoad } from '../../hooks/useLoad';

/** The backup history, newest first. */
export function useBackups() {
  const version = useVersion('backups');
  return useLoad(() => listBackups(), [version]);
}
