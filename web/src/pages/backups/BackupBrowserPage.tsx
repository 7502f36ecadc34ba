import { Link } from '../../app/Link';
import { navigate } from '../../app/router';
import { BackupBrowser } from './BackupBrowser';
import { BackupDetails } from './BackupDetails';
import { useBackups } from './useBackups';

/**
 * The Backup Browser on its own page; `?load=project` is the header's "Load Project", `?backup=<id>`
 * opens one backup to browse what it holds.
 */
export function BackupBrowserPage({ loadProject, openBackupId }: { loadProject: boolean; openBackupId: string | null }) {
  const backups = useBackups();
  const opened = openBackupId ? backups.data?.find((b) => b.id === openBackupId) : undefined;
  return (
    <div className="page">
      <header className="page-header">
        <h1>Backup Browser</h1>
        <p className="lead">
          Every backup file, what it holds and whether it was verified. Drop a backup or a Globe “Save Project” file to preview restoring it.
          Back up and schedule in the <Link to="/backups">Backup Manager</Link>.
        </p>
      </header>
      {opened ? (
        <BackupDetails backup={opened} onClose={() => navigate('/backups/browser')} />
      ) : (
        <section className="card" aria-label="Backups">
          <BackupBrowser loadProject={loadProject} />
        </section>
      )}
    </div>
  );
}
