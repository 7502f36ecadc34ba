import { Link } from '../../app/Link';
import { ProjectButtons } from '../../app/ProjectButtons';
import { BackUpNow } from '../backups/BackUpNow';

/** Backup and restore inside the Data Manager: the one-click backup, the project file, and the way to the full tools. */
export function BackupRestorePanel() {
  return (
    <div className="stack">
      <section className="stack" aria-labelledby="dm-backup-heading">
        <h3 id="dm-backup-heading">Back up</h3>
        <BackUpNow />
      </section>
      <section className="stack" aria-labelledby="dm-project-heading">
        <h3 id="dm-project-heading">Project file</h3>
        <p className="muted">Save Project downloads everything in the Globe app’s own file format; Load Project previews a project file before restoring it.</p>
        <ProjectButtons />
      </section>
      <section aria-labelledby="dm-tools-heading">
        <h3 id="dm-tools-heading">Backup and restore tools</h3>
        <ul className="link-list">
          <li>
            <Link to="/backups">Backup Manager</Link> — back up now, schedules and retention, health
          </li>
          <li>
            <Link to="/backups/browser">Backup Browser</Link> — every backup file: verify, download, delete, upload
          </li>
          <li>
            <Link to="/restore">Restore Wizard</Link> — bring back everything or a part of it, from a backup or any moment
          </li>
          <li>
            <Link to="/audit">Audit Timeline</Link> — every change, and the globe as it was at any moment
          </li>
        </ul>
      </section>
    </div>
  );
}
