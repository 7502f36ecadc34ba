import { Link } from '../../app/Link';
import { BackupBrowser } from './BackupBrowser';
import { BackupHealth } from './BackupHealth';
import { BackupSchedules } from './BackupSchedules';
import { BackUpNow } from './BackUpNow';
import { StoragePanel } from './StoragePanel';
import { useBackupHealth } from './useBackupHealth';

/** The Backup Manager: back up now, the health of the backups, where they are stored, the history, and the schedules. */
export function BackupManagerPage() {
  const health = useBackupHealth();
  return (
    <div className="page">
      <header className="page-header">
        <h1>Backup Manager</h1>
        <p className="lead">
          A backup is a file holding all your datasets, locations, settings and configurations. Restore any of it with the{' '}
          <Link to="/restore">Restore Wizard</Link>.
        </p>
      </header>
      <section className="card" aria-labelledby="now-heading">
        <h2 id="now-heading">Back up</h2>
        <BackUpNow serverKeyId={health.data?.serverKeyId} />
        <BackupHealth health={health} />
      </section>
      {health.data && (
        <section className="card" aria-labelledby="storage-heading">
          <h2 id="storage-heading">Storage</h2>
          <StoragePanel health={health.data} />
        </section>
      )}
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <BackupBrowser />
      </section>
      <section className="card" aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">Schedules and retention</h2>
        <BackupSchedules nextRuns={health.data?.nextRuns} />
      </section>
    </div>
  );
}
