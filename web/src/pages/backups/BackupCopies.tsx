import type { Backup, BackupCopy } from '../../api/types';
import { formatTime } from '../../components/format';
import { storageLocation } from './storageLocation';

const STATE: Record<BackupCopy['state'], { text: string; tone: 'ok' | 'bad' | 'none' }> = {
  verified: { text: 'Verified', tone: 'ok' },
  stored: { text: 'Stored', tone: 'none' },
  pending: { text: 'Pending', tone: 'bad' },
  failed: { text: 'Failed', tone: 'bad' },
};

/** Where a backup is: each copy's storage and state, and why a waiting copy is not stored yet. */
export function BackupCopies({ backup }: { backup: Backup }) {
  const copies = backup.copies ?? [];
  if (copies.length === 0) return <>{backup.storage}</>;
  return (
    <ul className="copy-list">
      {copies.map((c) => {
        const where = storageLocation(c.storage);
        const state = STATE[c.state] ?? { text: c.state, tone: 'none' };
        return (
          <li key={c.storage} data-testid="backup-copy" data-state={c.state}>
            <span title={where.kind}>{where.location}</span> <span className={`status status-${state.tone}`}>{state.text}</span>
            {c.state === 'verified' && c.verifiedAt && <div className="muted">{formatTime(c.verifiedAt)}</div>}
            {(c.state === 'pending' || c.state === 'failed') && (
              <div className="muted">
                {c.lastError ? `${c.lastError}; ` : ''}
                {c.nextAttemptAt ? `next attempt ${formatTime(c.nextAttemptAt)}` : 'waiting'}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
