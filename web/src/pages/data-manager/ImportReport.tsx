import type { ImportResult, JobView, RowError } from '../../api/types';
import { formatCount } from '../../components/format';
import { BadRowsTable } from './BadRowsTable';

interface InvalidRows {
  invalidRows: number;
  rowsRead: number;
  errors: RowError[];
}

/**
 * Failures of the file as a whole: "skip bad rows" skips rows that parse but are invalid, so it cannot
 * help with these; say why and what can.
 */
const WHY_SKIPPING_CANNOT_HELP: Record<string, string> = {
  'IMPORT.MALFORMED_FILE': 'Skipping bad rows cannot help: the file itself cannot be read (its structure is broken at the line named), so no row can be told apart from the next. Fix the file and import it again.',
  'IMPORT.ENCODING': 'Skipping bad rows cannot help: the file is not UTF-8 text. Save it as UTF-8, or import it through the API with encoding=latin1 or windows-1252.',
  'IMPORT.TOO_DEEP': 'Skipping bad rows cannot help: a value is nested deeper than the import reads. Flatten that value in the file.',
  'IMPORT.RECORD_TOO_LARGE': 'Skipping bad rows cannot help: one record is larger than the import reads at once, which usually means a missing quote or bracket before it.',
  'IMPORT.UNSUPPORTED_FORMAT': 'Skipping bad rows cannot help: the file is not CSV, JSON or GeoJSON.',
};

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
    const why = job.error ? WHY_SKIPPING_CANNOT_HELP[job.error.code] : undefined;
    return (
      <div className="notice notice-error" role="alert" data-testid="import-report">
        <p>
          {job.state === 'cancelled' ? 'The import was cancelled; nothing was written.' : `The import failed: ${job.error?.message ?? 'unknown error'}. Nothing was written.`}
          {job.error && <code className="error-code">{job.error.code}</code>}
        </p>
        {why && <p data-testid="import-hint">{why}</p>}
      </div>
    );
  }
  return null;
}
