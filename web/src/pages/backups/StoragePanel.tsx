import type { BackupHealth } from '../../api/backups';
import { plural } from '../../components/format';
import { ArchiveStatus } from './ArchiveStatus';
import { storageLocation } from './storageLocation';

/** Where backups and the archive go: each configured storage, the copies waiting for it, and the archive's status. */
export function StoragePanel({ health }: { health: BackupHealth }) {
  const storages = health.storages ?? [];
  return (
    <div className="stack">
      {storages.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-label="Storages">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Location</th>
                <th scope="col">Copies waiting</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {storages.map((s, i) => {
                const where = storageLocation(s.storage);
                const waiting = s.pendingCopies + s.failedCopies;
                return (
                  <tr key={s.storage} data-testid="storage-row">
                    <td>
                      {where.kind}
                      {i === 0 && <div className="muted">primary</div>}
                    </td>
                    <td>
                      <code>{where.location}</code>
                    </td>
                    <td>
                      {waiting === 0 ? (
                        <span className="status status-ok">All copies stored</span>
                      ) : (
                        <span className="status status-bad">
                          {[s.pendingCopies && plural(s.pendingCopies, 'pending', 'pending'), s.failedCopies && plural(s.failedCopies, 'failed', 'failed')].filter(Boolean).join(', ')}
                        </span>
                      )}
                    </td>
                    <td>{s.lastError ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {health.archive ? <ArchiveStatus archive={health.archive} /> : <p className="muted">The log is not archived continuously (ARCHIVE_STORAGE is off, and no remote storage is configured).</p>}
    </div>
  );
}
