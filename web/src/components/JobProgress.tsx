import type { JobView } from '../api/types';
import { formatBytes, formatCount, formatDuration } from './format';
import { ProgressBar } from './ProgressBar';

const STATE_TEXT: Record<JobView['state'], string> = {
  queued: 'Waiting to start',
  running: 'Working',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function figures(job: JobView, finished: boolean): string {
  const counts = job.total !== null ? `${formatCount(job.done)} of ${formatCount(job.total)}` : job.done > 0 ? formatCount(job.done) : '';
  const bytes = job.bytesTotal ? `${formatBytes(job.bytes)} of ${formatBytes(job.bytesTotal)}` : '';
  const eta = !finished && job.etaSeconds ? `about ${formatDuration(job.etaSeconds)} left` : '';
  return [counts, bytes, eta].filter(Boolean).join(' · ');
}

/** A job's live progress (pushed by the progress gateway); a finished job shows a full bar and its outcome. */
export function JobProgress({ job, label, onCancel }: { job: JobView | null; label: string; onCancel?: () => void }) {
  if (!job) return <ProgressBar label={label} state="starting" stateText="Starting" percent={null} />;
  const finished = job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled';
  const percent = job.state === 'completed' ? 100 : job.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : null;
  return (
    <div className="stack-tight">
      <ProgressBar label={label} state={job.state} stateText={STATE_TEXT[job.state]} percent={percent} detail={finished ? undefined : job.phase} figures={figures(job, finished)} testId={`job-${job.kind}`} />
      {onCancel && job.cancellable && !finished && (
        <button type="button" className="button-link" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
