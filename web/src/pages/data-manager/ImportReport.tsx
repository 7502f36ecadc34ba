import type { ImportResult, JobView, RowError } from '../../api/types';
import { formatCount } from '../../components/format';
import { BadRowsTable } from './BadRowsTable';

interface InvalidRows {
  invalidRows: number;
  rowsRead: number;
  errors: RowError[];
}

/** What an import did: the figures when it worked, the bad rows (and a way past them) when it did not. */
export function ImportReport({ job, onSkipBadRows }: { job: JobView; onSkipBadRows: () => void }) {
  if (job.state === 'completed') {
    const r = job.result as ImportResult;
    const d = r.duplicates;
    return (
      <div className="notice notice-success" role="status" data-testid="import-report">
        <p>
          <strong>Imported {formatCount(r.locationsWritten)} locations</strong> from {formatCount(r.rowsRead)} rows.
          {r.rowsSkipped > 0 && ` ${formatCount(r.rowsSkipped)} bad rows were skipped.`}
          {d.skipped + d.replaced + d.renamed > 0 && ` Duplicates: ${d.skipped} skipped, ${d.replaced} replaced, ${d.renamed} kept under new ids.`}
        </p>
        {r.errors.length > 0 && <BadRowsTable errors={r.errors} total={r.rowsSkipped} />}
      </div>
    );
  }
  if (job.state === 'failed' && job.error?.code === 'IMPORT.INVALID_ROWS') {
    const details = job.error.details as InvalidRows;
    return (
      <div className="notice notice-error" role="alert" data-testid="import-report">
        <p>
          <strong>Nothing was imported:</strong> {formatCount(details.invalidRows)} of {formatCount(details.rowsRead)} rows are invalid.
        </p>
        <BadRowsTable errors={details.errors} total={details.invalidRows} />
        <button type="button" className="button" onClick={onSkipBadRows}>
          Import again, skipping the {formatCount(details.invalidRows)} bad rows
        </button>
      </div>
    );
  }
  if (job.state === 'failed' || job.state === 'cancelled') {
    return (
      <div className="notice notice-error" role="alert" data-testid="import-report">
        {job.state === 'cancelled' ? 'The import was cancelled; nothing was written.' : `The import failed: ${job.error?.message ?? 'unknown error'}`}
        {job.error && <code className="error-code">{job.error.code}</code>}
      </div>
    );
  }
  return null;
}
