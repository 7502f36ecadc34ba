import { useState } from 'react';
import { type RestoreRecord, createRestorePoint, listRestorePoints, listRestores } from '../../api/recovery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime } from '../../components/format';
import { countSentences } from '../../components/restoreCounts';
import { announce, useVersion } from '../../hooks/dataChanges';
import { useLoad } from '../../hooks/useLoad';
import { useTimeline } from '../../timeline/useTimeline';
import { type Known, pointName, restoreName, restoreTitle } from './restoreWords';
import { UndoPanel } from './UndoPanel';

/** What to do to a restore: undo it, or redo it (undo the undo that undid it). */
type Pending = { verb: 'Undo' | 'Redo'; restore: RestoreRecord; title: string };

/**
 * Earlier restores, named by the moment they went back to, each with "Undo…" (a preview and a
 * confirmation first, see UndoPanel); one already undone says when and offers "Redo…". Below,
 * restore points: named moments to come back to, made by hand or before every import and restore.
 * Ids and log positions only on demand.
 */
export function RestoreHistory() {
  const version = useVersion('audit');
  const restores = useLoad(() => listRestores(), [version]);
  const points = useLoad(() => listRestorePoints(), [version]);
  const timeline = useTimeline();
  const [name, setName] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<unknown>(null);
  const known: Known = { stops: timeline.data?.stops ?? [], restores: restores.data ?? [], points: points.data ?? [] };
  const byId = new Map(known.restores.map((r) => [r.id, r]));

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
      {known.restores.length === 0 ? (
        <p className="muted">No restore yet.</p>
      ) : (
        <ul className="plain-list" data-testid="restore-history">
          {known.restores.map((r) => {
            const undoer = r.undoneBy ? byId.get(r.undoneBy.id) : undefined;
            const title = restoreTitle(r, known);
            return (
              <li key={r.id} className="stack-tight">
                <div className="form-row">
                  <span>
                    <strong>{title}</strong> · {formatTime(r.startedAt)} by {r.actor}
                    {r.counts ? ` · ${countSentences(r.counts).join(', ') || 'nothing changed'}` : ''}
                    {r.undoneBy && <em> · undone at {formatTime(r.undoneBy.startedAt)}</em>}
                    {undoer?.undoneBy && <em> · redone at {formatTime(undoer.undoneBy.startedAt)}</em>}
                  </span>
                  {!r.undoneBy && !r.undoOf && (
                    <button type="button" className="button button-small" onClick={() => setPending({ verb: 'Undo', restore: r, title: `Undo ${restoreName(r)}` })} aria-label={`Undo the restore of ${formatTime(r.startedAt)}`}>
                      Undo…
                    </button>
                  )}
                  {undoer && !undoer.undoneBy && (
                    <button type="button" className="button button-small" onClick={() => setPending({ verb: 'Redo', restore: undoer, title: `Redo ${restoreName(r)}` })} aria-label={`Redo the restore of ${formatTime(r.startedAt)}`}>
                      Redo…
                    </button>
                  )}
                </div>
                <details>
                  <summary className="muted">Details</summary>
                  <p className="muted">
                    Restore id {r.id}; written on the log at position {r.basePosition}; target {JSON.stringify(r.target)}; strategy {r.strategy}
                    {r.undoOf ? `; undoes ${r.undoOf}` : ''}
                    {r.undoneBy ? `; undone by ${r.undoneBy.id}` : ''}
                  </p>
                </details>
              </li>
            );
          })}
        </ul>
      )}
      {pending && <UndoPanel key={`${pending.verb}:${pending.restore.id}`} restore={pending.restore} verb={pending.verb} title={pending.title} onClose={() => setPending(null)} />}
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
        {known.points.slice(0, 20).map((p) => (
          <li key={p.id}>
            {pointName(p, known)} · {formatTime(p.createdAt)}
            {p.automatic ? ' (automatic)' : ''}
            <details>
              <summary className="muted">Details</summary>
              <span className="muted">
                Restore point id {p.id}; log position {p.position}; recorded as “{p.name}”
              </span>
            </details>
          </li>
        ))}
      </ul>
      <ErrorNotice error={error ?? points.error} />
    </section>
  );
}
