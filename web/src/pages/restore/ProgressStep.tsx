import { useState } from 'react';
import { type RestoreRecord, getRestore } from '../../api/recovery';
import type { RestoreCounts } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../hooks/useJob';
import { UndoPanel } from './UndoPanel';
import { countSentences } from '../../components/restoreCounts';

/** What the restore did, in words. */
function doneSentence(counts: RestoreCounts | undefined, ontoEmpty: RestoreCounts | undefined): string {
  if (!counts) return '';
  const did = countSentences(counts).join(', ');
  if (did) return did;
  // Onto an empty instance the history itself is adopted (from a backup or the archive) and the
  // restore's own events then change nothing: what arrived is what the preview showed.
  const adopted = ontoEmpty ? countSentences(ontoEmpty).join(', ') : '';
  return adopted ? `The history up to that moment was brought back: ${adopted}.` : 'Nothing changed.';
}

/**
 * Step 6: the restore's live progress, what it did, and "Undo this restore" (itself a restore, with
 * its own progress, after its preview and a confirmation). `ontoEmpty`: the preview's counts, when the restore started on an empty log.
 */
export function ProgressStep({ jobId, restoreId, ontoEmpty, onRestart }: { jobId: string; restoreId: string; ontoEmpty?: RestoreCounts; onRestart: () => void }) {
  const job = useJob(jobId);
  const [undo, setUndo] = useState<RestoreRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const counts = (job?.result as { counts?: RestoreCounts } | null)?.counts;
  const openUndo = async () => {
    setError(null);
    try {
      setUndo(await getRestore(restoreId));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="stack">
      <JobProgress job={job} label="Restore" />
      {job?.state === 'completed' && (
        <div className="notice notice-success" role="status" data-testid="restore-done">
          <strong>Restore complete.</strong> {doneSentence(counts, ontoEmpty)}
        </div>
      )}
      {job?.state === 'failed' && <ErrorNotice error={new Error(job.error?.message ?? 'the restore failed')} title="The restore failed; nothing was changed" />}
      {job?.state === 'completed' && !undo && (
        <div className="form-actions">
          <button type="button" className="button button-danger" onClick={() => void openUndo()}>
            Undo this restore…
          </button>
          <button type="button" className="button" onClick={onRestart}>
            Start another restore
          </button>
        </div>
      )}
      {undo && <UndoPanel restore={undo} verb="Undo" title="Undo this restore" onClose={(done) => (done ? onRestart() : setUndo(null))} />}
      <ErrorNotice error={error} />
    </div>
  );
}
