import type { BackupHealth as Health } from '../../api/backups';
import { ApiError } from '../../api/client';
import { formatTime } from '../../components/format';
import type { Loaded } from '../../hooks/useLoad';

const TONE = { ok: 'notice-success', warning: 'notice-warning', 'no-backups': 'notice-warning' } as const;

/** The first thing the Backup Manager answers: could the user restore, and since when. */
export function BackupHealth({ health }: { health: Loaded<Health> }) {
  // a 404 means this server has no health report (yet): nothing to show
  if (health.error) return health.error instanceof ApiError && health.error.status === 404 ? null : <p className="muted">Backup health could not be read.</p>;
  const h = health.data;
  if (!h) return null;
  return (
    <div className={`notice ${TONE[h.status]}`} role="status" data-testid="backup-health">
      <p>
        <strong>{h.lastVerifiedRestorableAt ? `Last verified restorable: ${formatTime(h.lastVerifiedRestorableAt)}` : 'No verified backup yet'}</strong>
        {h.promisedWithinHours !== null && <span className="muted"> · the schedules promise one every {h.promisedWithinHours} h</span>}
      </p>
      {h.warnings.length > 0 && (
        <ul>
          {h.warnings.map((w) => (
            <li key={w}>{w[0].toUpperCase() + w.slice(1)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
