import { useEffect, useState } from 'react';
import { formatBytes, formatTime, plural } from '../../components/format';
import { NotAvailable } from '../../components/NotAvailable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useBackups } from '../backups/useBackups';
import type { ChosenSource } from './wizardTypes';

/** The backups to restore from, newest first, one chosen by a radio button. */
export function BackupChoice({ preselected, onChoose }: { preselected?: string; onChoose: (source: ChosenSource | null) => void }) {
  const backups = useBackups();
  const [chosen, setChosen] = useState(preselected ?? '');
  const [passphrase, setPassphrase] = useState('');
  const backup = backups.data?.find((b) => b.id === chosen);
  useEffect(() => {
    const ready = backup && (!backup.encrypted || passphrase);
    onChoose(ready ? { target: { backupId: backup.id, ...(backup.encrypted ? { passphrase } : {}) }, label: `the backup of ${formatTime(backup.createdAt)}`, at: null, ...(backup.encrypted ? {} : { backupId: backup.id }) } : null);
  }, [backup, passphrase, onChoose]);
  if (backups.unavailable) return <NotAvailable feature="Restoring from a backup" />;
  if (backups.error) return <ErrorNotice error={backups.error} />;
  const items = backups.data ?? [];
  if (items.length === 0) return <p className="muted">{backups.loading ? 'Loading the backups…' : 'There are no backups yet.'}</p>;
  return (
    <fieldset className="choice-group">
      <legend>Backup</legend>
      {items.map((b) => (
        <label key={b.id} className="radio">
          <input type="radio" name="backup" value={b.id} checked={chosen === b.id} onChange={() => setChosen(b.id)} />
          <span>
            {formatTime(b.createdAt)} · {b.kind}{b.encrypted ? ' · encrypted' : ''} · {formatBytes(b.size)} · {plural(b.counts.datasets, 'dataset', 'datasets')}, {plural(b.counts.locations, 'location', 'locations')}
          </span>
        </label>
      ))}
      {backup?.encrypted && (
        <label className="narrow">
          <span>Passphrase of this encrypted backup</span>
          <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" required />
        </label>
      )}
    </fieldset>
  );
}
