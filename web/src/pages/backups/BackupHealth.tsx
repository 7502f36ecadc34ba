import type { BackupHealth as Health } from '../../api/backups';
import { ApiError } from '../../api/client';
import { formatTime } from '../../components/format';
import type { Loaded } from '../../hooks/useLoad';

const TONE = { ok: 'notice-success', warning: 'notice-warning', 'no-backups': 'notice-warning' } as const;

/** The answer to "could I restore my data, and to when?", in a sentence. */
function headline(h: Health): string {
  if (h.lastVerifiedRestorableAt) return `Your data can be restored as it was on ${formatTime(h.lastVerifiedRestorableAt)}: that backup was checked and restores correctly.`;
  if (h.status === 'no-backups') return 'There is no backup yet: “Back up now” makes the first one.';
  return 'No backup has been checked yet: press “Verify” or “Test restore” on one below to know it can be restored.';
}

/** The shortest interval between two scheduled backups, in words (a day across a DST change is 23 or 25 hours). */
function every(hours: number): string {
  const days = Math.round(hours / 24);
  if (days >= 1 && Math.abs(hours - days * 24) <= 1) return days === 1 ? 'every day' : `every ${days} days`;
  return hours >= 1 ? `every ${Math.round(hours)} hours` : `every ${Math.round(hours * 60)} minutes`;
}

/** Warnings the headline already says in words. */
const SAID_BY_HEADLINE = new Set(['there is no backup yet', 'no backup verified restorable']);

/** The first thing the Backup Manager answers: could the user restore, since when, and when the next backup runs. */
export function BackupHealth({ health }: { health: Loaded<Health> }) {
  // a 404 means this server has no health report (yet): nothing to show
  if (health.error) return health.error instanceof ApiError && health.error.status === 404 ? null : <p className="muted">Backup health could not be read.</p>;
  const h = health.data;
  if (!h) return null;
  const warnings = h.warnings.filter((w) => !SAID_BY_HEADLINE.has(w));
  return (
    <div className={`notice ${TONE[h.status]}`} role="status" data-testid="backup-health">
      <p>
        <strong>{headline(h)}</strong>
      </p>
      <p data-testid="next-backup">
        {h.nextBackupAt
          ? `Next automatic backup: ${formatTime(h.nextBackupAt)}${h.promisedWithinHours !== null ? ` (the schedules make one ${every(h.promisedWithinHours - 1)})` : ''}.`
          : 'No automatic backups are scheduled: backups are made only when you press “Back up now”.'}
      </p>
      {warnings.length > 0 && (
        <>
          <p>Needs your attention:</p>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w[0].toUpperCase() + w.slice(1)}.</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
