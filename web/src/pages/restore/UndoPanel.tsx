import { useState } from 'react';
import { ApiError } from '../../api/client';
import { type RestoreRecord, previewRestore, undoRestore } from '../../api/recovery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgress } from '../../components/JobProgress';
import { countSentences } from '../../components/restoreCounts';
import { useJob } from '../../hooks/useJob';
import { useLoad } from '../../hooks/useLoad';

/**
 * An undo (or a redo: the undo of an undo) with the care of a restore: what it would change first
 * (the preview of restoring the position before `restore`, for its scope, which is what the server's
 * undo writes), then an explicit confirmation, then its progress. Nothing is written before the
 * confirm button, and the undo quotes its preview's token: if the data changed since the preview,
 * the server refuses it and the panel previews again.
 */
export function UndoPanel({ restore, verb, title, onClose }: { restore: RestoreRecord; verb: 'Undo' | 'Redo'; title: string; onClose: (done: boolean) => void }) {
  const preview = useLoad(() => previewRestore({ position: restore.basePosition }, restore.scope), [restore.id]);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const [error, setError] = useState<unknown>(null);
  const sentences = preview.data ? countSentences(preview.data.counts) : [];
  const stale = error instanceof ApiError && error.code === 'RESTORE.PREVIEW_STALE';
  const start = async () => {
    setError(null);
    try {
      setJobId((await undoRestore(restore.id, preview.data!.previewToken)).jobId);
    } catch (e) {
      setError(e);
    }
  };
  // The refused preview stays on screen while the new one loads: "Undo now" waits for the new one.
  const [refused, setRefused] = useState<unknown>(null);
  const previewAgain = () => {
    setRefused(preview.data);
    setError(null);
    preview.reload();
  };
  return (
    <section className="notice notice-warning stack" aria-label={`${verb}: ${title}`} data-testid="undo-panel">
      <strong>{title}</strong>
      {!preview.data && !preview.error && <p>Working out what the {verb.toLowerCase()} would change…</p>}
      {preview.data && (
        <p data-testid="undo-preview">
          {verb === 'Undo' ? 'Undoing' : 'Redoing'} it would change this: {sentences.length ? sentences.join(', ') : 'nothing (the data is already as it would leave it)'}. A restore point is
          recorded first, and this can be undone in turn.
        </p>
      )}
      {stale ? (
        <p className="notice notice-error" role="alert" data-testid="undo-stale">
          The data changed since this preview, so nothing was {verb === 'Undo' ? 'undone' : 'redone'}.{' '}
          <button type="button" className="button button-small" onClick={previewAgain}>
            Preview again
          </button>
        </p>
      ) : (
        <ErrorNotice error={preview.error ?? error} />
      )}
      {!jobId ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="button" className="button button-danger" disabled={!preview.data || preview.loading || stale || preview.data === refused} onClick={() => void start()}>
            {verb} now
          </button>
        </div>
      ) : (
        <JobProgress job={job} label={verb} />
      )}
      {job?.state === 'completed' && (
        <div className="notice notice-success" role="status" data-testid="undo-done">
          {verb === 'Undo' ? 'Undone' : 'Redone'}. <button type="button" className="button button-small" onClick={() => onClose(true)}>
            Close
          </button>
        </div>
      )}
    </section>
  );
}
