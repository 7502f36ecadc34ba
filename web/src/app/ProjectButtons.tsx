import { useState } from 'react';
import { exportUrl } from '../api/backups';
import { downloadFile } from '../api/download';
import { navigate } from './router';

/**
 * The Globe app's "Save Project" and "Load Project": saving downloads the whole project in the Globe
 * app's own file format; loading goes to the Backup Browser, where the file is dropped and the
 * Restore Wizard previews it before anything changes.
 */
export function ProjectButtons() {
  const [message, setMessage] = useState<string | null>(null);
  const save = async () => {
    setMessage(null);
    try {
      await downloadFile(exportUrl('globe-project'), `globe-project-${new Date().toISOString().slice(0, 10)}.json`);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <div className="project-buttons">
      <button type="button" className="button" onClick={save}>
        Save Project
      </button>
      <button type="button" className="button" onClick={() => navigate('/backups/browser?load=project')}>
        Load Project
      </button>
      {message && (
        <span className="header-message" role="alert">
          {message}
        </span>
      )}
    </div>
  );
}
