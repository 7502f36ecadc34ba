import { useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { BackupRow } from './BackupRow';
import { BackupUpload } from './BackupUpload';
import { useBackups } from './useBackups';

/** The Backup Browser: every backup file with what it holds, and the drop zone for new ones. */
export function BackupBrowser({ loadProject = false }: { loadProject?: boolean }) {
  const backups = useBackups();
  const [error, setError] = useState<unknown>(null);
  const items = backups.data ?? [];
  return (
    <div className="stack">
      <BackupUpload emphasised={loadProject} />
      <ErrorNotice error={error ?? backups.error} />
      {items.length === 0 && !backups.loading && <p className="muted">No backups yet. “Back up now” makes the first one.</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-label="Backups">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Records</th>
                <th scope="col">Copies</th>
                <th scope="col">Verified</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <BackupRow key={b.id} backup={b} original={b.originalId ? items.find((o) => o.id === b.originalId) : undefined} onError={setError} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
