import { useState } from 'react';
import { backUpNow } from '../../api/backups';
import { isUnavailable } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgress } from '../../components/JobProgress';
import { NotAvailable } from '../../components/NotAvailable';
import { isFinished, useJob } from '../../hooks/useJob';

/** One click, the defaults, and the backup's live progress until it is done. */
export function BackUpNow() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const job = useJob(jobId);
  const running = starting || (jobId !== null && !isFinished(job));
  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      setJobId((await backUpNow()).jobId);
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  };
  return (
    <div className="stack">
      <div>
        <button type="button" className="button button-primary button-large" onClick={start} disabled={running}>
          Back up now
        </button>
      </div>
      {isUnavailable(error) ? <NotAvailable feature="Backing up" /> : <ErrorNotice error={error} title="The backup did not start" />}
      {jobId && <JobProgress job={job} label="Backup" />}
      {job?.state === 'failed' && <ErrorNotice error={new Error(job.error?.message ?? 'the backup failed')} title="Backup failed" />}
    </div>
  );
}
