import { useState } from 'react';
import { undoRestore } from '../../api/recovery';
import type { RestoreCounts } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../hooks/useJob';
import { countSentences } from '../../components/restoreCounts';

/** Step 6: the restore's live progress, what it did, and "Undo this restore" (itself a restore, with its own progress). */
export function ProgressStep({ jobId, restoreId, onRestart }: { jobId: string; restoreId: string; onRestart: () => void }) {
  const job = useJob(jobId);
  const [undo, setUndo] = useState<{ jobId: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const undoJob = useJob(undo?.jobId ?? null);
  const counts = (job?.result as { counts?: RestoreCounts } | null)?.counts;
  const startUndo = async () => {
    setError(null);
    try {
      setUndo(await undoRestore(restoreId));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="stack">
      <JobProgress job={job} label="Restore" />
      {job?.state === 'completed' && (
        <div className="notice notice-success" role="status" data-testid="restore-done">
          <strong>Restore complete.</strong> {counts ? countSentences(counts).join(', ') || 'Nothing changed.' : ''}
        </div>
      )}
      {job?.state === 'failed' && <ErrorNotice error={new Error(job.error?.message ?? 'the restore failed')} title="The restore failed; nothing was changed" />}
      {job?.state === 'completed' && !undo && (
        <div className="form-actions">
          <button type="button" className="button button-danger" onClick={startUndo}>
            Undo this restore
          </button>
          <button type="button" className="button" onClick={onRestart}>
            Start another restore
          </button>
        </div>
      )}
      {undo && <JobProgress job={undoJob} label="Undo" />}
      {undoJob?.state === 'completed' && (
        <div className="notice notice-success" role="status" data-testid="undo-done">
          <strong>The restore was undone.</strong> Everything in its scope is as it was before it.
        </div>
      )}
      <ErrorNotice error={error ?? (undoJob?.state === 'failed' ? new Error(undoJob.error?.message) : null)} title="Undo failed" />
      {undoJob?.state === 'completed' && (
        <button type="button" className="button" onClick={onRestart}>
          Start another restore
        </button>
      )}
    </div>
  );
}
