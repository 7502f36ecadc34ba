import type { ArchiveHealth } from '../../api/backups';
import { Link } from '../../app/Link';
import { formatDuration, formatTime, plural } from '../../components/format';
import { storageLocation } from './storageLocation';

/** What a lost server would lose now, in words. */
function lossSentence(a: ArchiveHealth): string {
  if (a.lag.positions === 0) return a.archivedPosition > 0 ? 'A lost server would lose nothing: every change is in the archive.' : 'Nothing to archive yet.';
  return `A lost server would lose the last ${formatDuration(a.lag.seconds)} (${plural(a.lag.positions, 'change', 'changes')} not archived yet).`;
}

/**
 * The continuous archive of the log: how far behind the head it is, the window a lost server could
 * be restored to, uploads waiting and the last error. On an instance that has archived nothing
 * (a fresh one), the archive its storage already holds, which the Restore Wizard can restore from.
 */
export function ArchiveStatus({ archive: a }: { archive: ArchiveHealth }) {
  const where = storageLocation(a.storage);
  const window = a.restorable.newest ? a.restorable : null;
  return (
    <div className="stack archive-status" data-testid="archive-status">
      <h3>Continuous archive</h3>
      <p>
        Every change is shipped to the {where.noun} <code>{where.location}</code>
        {a.encryption ? `, encrypted (${a.encryption})` : ', not encrypted'}
        {a.epoch !== null && <span className="muted"> · epoch {a.epoch}</span>}.
      </p>
      <p className={a.lag.positions > 0 ? 'notice notice-warning' : 'notice notice-success'} data-testid="archive-lag">
        <strong>{lossSentence(a)}</strong>{' '}
        <span className="muted">
          Archived up to change {a.archivedPosition.toLocaleString()} of {a.headPosition.toLocaleString()}.
        </span>
      </p>
      {window && (
        <p data-testid="archive-window">
          Recoverable from the archive alone: any moment from <strong>{formatTime(window.oldest)}</strong> to <strong>{formatTime(window.newest)}</strong>.
        </p>
      )}
      {a.found && (
        <p className="notice notice-info" data-testid="archive-found">
          This storage holds an archive (epoch {a.found.epoch}, {plural(a.found.newest.position, 'change', 'changes')}) from <strong>{formatTime(a.found.oldest.recordedAt)}</strong> to{' '}
          <strong>{formatTime(a.found.newest.recordedAt)}</strong>. The <Link to="/restore">Restore Wizard</Link> can bring back any moment of it.
        </p>
      )}
      {a.pending.positions > 0 && (
        <p data-testid="archive-pending">
          Waiting to upload: {plural(a.pending.positions, 'change', 'changes')} since {formatTime(a.pending.since)}
          {a.pending.retryAt && `, next attempt at ${formatTime(a.pending.retryAt)}`}.
        </p>
      )}
      {a.lastError && (
        <p className="notice notice-error" role="alert" data-testid="archive-error">
          The archive is not uploading ({formatTime(a.lastError.at)}): {a.lastError.message} <span className="muted">({a.lastError.code})</span>
        </p>
      )}
      <p className="muted">
        {plural(a.uploads, 'upload', 'uploads')} since the server started{a.lastUploadAt ? `, the last at ${formatTime(a.lastUploadAt)}` : ''}.
      </p>
    </div>
  );
}
