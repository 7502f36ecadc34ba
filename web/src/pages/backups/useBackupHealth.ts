import { useEffect, useRef } from 'react';
import { backupHealth } from '../../api/backups';
import { announce, useVersion } from '../../hooks/dataChanges';
import { useLoad } from '../../hooks/useLoad';
import { useTicker } from '../../hooks/useTicker';

/** How often the Backup Manager reads health: the archive's lag is only worth showing live. */
const HEALTH_POLL_MS = 2000;

/**
 * The backups' health, read again on every backup change and every couple of seconds. Copies
 * waiting in the server's queue are retried in the background with no event to the page: when
 * their count moves, the backups are announced as changed, so the history shows each copy's new state.
 */
export function useBackupHealth() {
  const version = useVersion('backups');
  const tick = useTicker(HEALTH_POLL_MS);
  const health = useLoad(() => backupHealth(), [version, tick]);
  const waiting = health.data ? (health.data.storages ?? []).map((s) => `${s.pendingCopies}/${s.failedCopies}`).join(',') : null;
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (waiting === null) return;
    if (seen.current !== null && seen.current !== waiting) announce('backups');
    seen.current = waiting;
  }, [waiting]);
  return health;
}
