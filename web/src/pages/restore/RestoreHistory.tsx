import { useState } from 'react';
import { type RestoreRecord, createRestorePoint, listRestorePoints, listRestores, undoRestore } from '../../api/recovery';
import { isUnavailable } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../hooks/useJob';
import { formatCount, formatTime } from '../../components/format';
import { announce, useVersion } from '../../hooks/dataChanges';
import { useLoad } from '../../hooks/useLoad';

const describe = (r: RestoreRecord) =>
  r.undoOf ? `Undo of ${r.undoOf.slice(-8)}` : 'at' in r.target ? `To ${formatTime(r.target.at)}` : 'backupId' in r.target ? 'From a backup' : 'position' in r.target ? `To log position ${r.target.position}` : 'To a restore point';

/**
 * Earlier restores, each with its own "Undo" (an undo is a restore too, listed here and undoable in
 * turn), and restore points: named moments to come back to, made by hand or before every import and
 * restore.
 */
export function RestoreHistory() {
  const version = useVersion('audit');
  const restores = useLoad(() => listRestores(), [version]);
  const points = useLoad(() => listRestorePoints(), [version]);
  const [name, setName] = useState('');
  const [undoing, setUndoing] = useState<string | null>(null);
  const undoJob = useJob(undoing);
  const [error, setError] = useState<unknown>(null);
  if (isUnavailable(restores.error)) return null;

  const undo = async (id: string) => {
    setError(null);
    try {
      setUndoing((await undoRestore(id)).jobId);
    } catch (e) {
      setError(e);
    }
  };
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await createRestorePoint(name.trim());
      setName('');
      announce('audit');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card stack" aria-labelledby="restore-history-title">
      <h2 id="restore-history-title">Earlier restores</h2>
      {(restores.data ?? []).length === 0 ? (
        <p className="muted">No restore yet.</p>
      ) : (
        <ul className="plain-list" data-testid="restore-history">
          {(restores.data ?? []).map((r) => (
            <li key={r.id} className="form-row">
              <span>
                <strong>{describe(r)}</strong> · {formatTime(r.startedAt)} by {r.actor}
                {r.counts ? ` · ${formatCount(r.counts.locations.added + r.counts.locations.changed + r.counts.locations.removed)} locations touched` : ''}
              </span>
              <button type="button" className="button button-small" onClick={() => void undo(r.id)} aria-label={`Undo the restore of ${formatTime(r.startedAt)}`}>
                Undo
              </button>
            </li>
          ))}
        </ul>
      )}
      {undoing && <JobProgress job={undoJob} label="Undo" />}
      <h2>Restore points</h2>
      <form className="form-row" onSubmit={create} aria-label="Create a restore point">
        <label>
          <span>Restore point name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Before the spring clean-up" maxLength={200} />
        </label>
        <button type="submit" className="button" disabled={!name.trim()}>
          Create a restore point
        </button>
      </form>
      <ul className="plain-list" data-testid="restore-points">
        {(points.data ?? []).slice(0, 20).map((p) => (
          <li key={p.id}>
            {p.name} · {formatTime(p.createdAt)} · log position {p.position}
            {p.automatic ? ' (automatic)' : ''}
          </li>
        ))}
      </ul>
      <ErrorNotice error={error ?? points.error} />
    </section>
  );
}
