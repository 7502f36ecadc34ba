import { Link } from '../../app/Link';
import { NotAvailable } from '../../components/NotAvailable';
import { BackupBrowser } from './BackupBrowser';
import { BackupHealth } from './BackupHealth';
import { BackupSchedules } from './BackupSchedules';
import { BackUpNow } from './BackUpNow';
import { useBackups } from './useBackups';

/** The Backup Manager: back up now, the health of the backups, the history, and the schedules. */
export function BackupManagerPage() {
  const backups = useBackups();
  return (
    <div className="page">
      <header className="page-header">
        <h1>Backup Manager</h1>
        <p className="lead">
          A backup is a file holding all your datasets, locations, settings and configurations. Restore any of it with the{' '}
          <Link to="/restore">Restore Wizard</Link>.
        </p>
      </header>
      {backups.unavailable ? (
        <section className="card stack">
          <NotAvailable feature="Backups" />
          <p>
            Meanwhile every change is kept in the audit trail: the <Link to="/restore">Restore Wizard</Link> can bring back any moment of it.
          </p>
        </section>
      ) : (
        <>
          <section className="card" aria-labelledby="now-heading">
            <h2 id="now-heading">Back up</h2>
            <BackUpNow />
            <BackupHealth />
          </section>
          <section className="card" aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            <BackupBrowser />
          </section>
          <section className="card" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">Schedules and retention</h2>
            <BackupSchedules />
          </section>
        </>
      )}
    </div>
  );
}
