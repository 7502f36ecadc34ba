import { Link } from '../../app/Link';
import { BackupBrowser } from './BackupBrowser';

/** The Backup Browser on its own page; `?load=project` is the header's "Load Project". */
export function BackupBrowserPage({ loadProject }: { loadProject: boolean }) {
  return (
    <div className="page">
      <header className="page-header">
        <h1>Backup Browser</h1>
        <p className="lead">
          Every backup file, what it holds and whether it was verified. Drop a backup or a Globe “Save Project” file to preview restoring it.
          Back up and schedule in the <Link to="/backups">Backup Manager</Link>.
        </p>
      </header>
      <section className="card" aria-label="Backups">
        <BackupBrowser loadProject={loadProject} />
      </section>
    </div>
  );
}
