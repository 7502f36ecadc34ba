import type { Backup } from '../../api/types';

export interface CheckState {
  text: string;
  tone: 'ok' | 'bad' | 'none';
  at: string | null;
}

/** The server records a check as `ok` or `failed: <reason>`. */
function check(result: string | null, at: string | null, passed: string, failed: string): CheckState {
  if (!at) return { text: '', tone: 'none', at: null };
  if (result === 'ok') return { text: passed, tone: 'ok', at };
  const reason = (result ?? '').replace(/^failed:?\s*/, '');
  return { text: `${failed}${reason ? `: ${reason}` : ''}`, tone: 'bad', at };
}

/** A backup's last verification (every checksum and record read) and last restore drill (restored and compared). */
export function backupChecks(backup: Backup): CheckState[] {
  const verify = check(backup.lastVerifyResult, backup.lastVerifiedAt, 'Verified', 'Verification failed');
  const drill = check(backup.lastDrillResult, backup.lastDrillAt, 'Restore drill passed', 'Restore drill failed');
  const checks = [verify, drill].filter((c) => c.at !== null);
  return checks.length ? checks : [{ text: 'Not verified yet', tone: 'none', at: null }];
}
