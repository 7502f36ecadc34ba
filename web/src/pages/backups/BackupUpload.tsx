import { useState } from 'react';
import { uploadBackup } from '../../api/backups';
import { navigate } from '../../app/router';
import { DropZone } from '../../components/DropZone';
import { ErrorNotice } from '../../components/ErrorNotice';
import { UploadProgress, type UploadState } from '../../components/UploadProgress';
import { announce } from '../../hooks/dataChanges';

/**
 * Drop a backup file or a Globe app "Save Project" file: the server verifies it and keeps it as an
 * uploaded backup, and the Restore Wizard opens on it, so the preview comes before anything changes.
 */
export function BackupUpload({ emphasised }: { emphasised: boolean }) {
  const [error, setError] = useState<unknown>(null);
  const [passphrase, setPassphrase] = useState('');
  const [progress, setProgress] = useState<(UploadState & { name: string }) | null>(null);
  const upload = async (file: File) => {
    setError(null);
    setProgress({ name: file.name, sent: 0, total: file.size });
    try {
      const backup = await uploadBackup(file, passphrase, (sent, total) => setProgress({ name: file.name, sent, total }));
      announce('backups', 'audit');
      navigate(`/restore?backupId=${encodeURIComponent(backup.id)}`);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className={`stack${emphasised ? ' emphasised' : ''}`}>
      <DropZone
        label={emphasised ? 'Load Project: drop a Globe “Save Project” file here' : 'Drop a backup or a Globe “Save Project” file here'}
        hint="Nothing changes yet: the file is checked, then the Restore Wizard shows what it would add, change and remove."
        accept=".json,.gvbk,.gz,application/json,application/octet-stream"
        disabled={progress !== null}
        onFile={(file) => void upload(file)}
      />
      <label className="narrow">
        <span>Passphrase (only for an encrypted backup)</span>
        <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
      </label>
      {progress && <UploadProgress name={progress.name} upload={progress} />}
      {progress && progress.sent >= progress.total && <p role="status">Checking the file…</p>}
      <ErrorNotice error={error} title="The file was not accepted" />
    </div>
  );
}
