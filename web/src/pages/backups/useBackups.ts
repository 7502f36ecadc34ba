import { listBackups } from '../../api/backups';
import { isUnavailable } from '../../api/client';
import { useVersion } from '../../hooks/dataChanges';
import { useLoad } from '../../hooks/useLoad';

/** The backup history, newest first, and whether this server offers backups at all. */
export function useBackups() {
  const version = useVersion('backups');
  const loaded = useLoad(() => listBackups(), [version]);
  return { ...loaded, unavailable: isUnavailable(loaded.error) };
}
