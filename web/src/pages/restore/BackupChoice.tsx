import { useEffect, useState } from 'react';
import { listBackups } from '../../api/backups';
import { formatBytes, formatTime, plural } from '../../components/format';
import { ErrorNotice } from '../../components/ErrorNotice';
import { announce } from '../../hooks/dataChanges';
import { storageLocation } from '../backups/storageLocation';
import { useBackups } from '../backups/useBackups';
import type { ChosenSource } from './wizardTypes';

/** Where a backup's copies are, in a few words. */
const placesOf = (copies: { storage: string }[] = []) => copies.map((c) => storageLocation(c.storage).location).join(', ');

/**
 * The backups to restore from, newest first, one chosen by a radio button. The storages can be
 * looked through again for backups this instance does not know (a fresh instance pointed at a
 * bucket); with no backup known, they are looked through once on their own.
 */
export function BackupChoice({ preselected, onChoose }: { preselected?: string; onChoose: (source: ChosenSource | null) => void }) {
  const backups = useBackups();
  const [chosen, setChosen] = useState(preselected ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [looking, setLooking] = useState<'idle' | 'looking' | 'done'>('idle');
  const [lookError, setLookError] = useState<unknown>(null);
  const backup = backups.data?.find((b) => b.id === chosen);
  useEffect(() => {
    const ready = backup && (!backup.encrypted || passphrase);
    onChoose(ready ? { target: { backupId: backup.id, ...(backup.encrypted ? { passphrase } : {}) }, label: `the backup of ${formatTime(backup.createdAt)}`, at: null, ...(backup.encrypted ? {} : { backupId: backup.id }), ...(backup.format === 'globe-project' ? { project: true, label: `the project file uploaded ${formatTime(backup.createdAt)}` } : {}) } : null);
  }, [backup, passphrase, onChoose]);
  const lookInStorages = async () => {
    setLooking('looking');
    setLookError(null);
    try {
      await listBackups(true);
      announce('backups');
    } catch (e) {
      setLookError(e);
    } finally {
      setLooking('done');
    }
  };
  const items = backups.data ?? [];
  useEffect(() => {
    if (looking === 'idle' && backups.data?.length === 0) void lookInStorages();
  }, [backups.data, looking]);
  if (backups.error) return <ErrorNotice error={backups.error} />;
  return (
    <fieldset className="choice-group">
      <legend>Backup</legend>
      {items.length === 0 && <p className="muted">{backups.loading || looking === 'looking' ? 'Looking for backups…' : 'There are no backups yet, here or in the storages.'}</p>}
      {items.map((b) => (
        <label key={b.id} className="radio">
          <input type="radio" name="backup" value={b.id} checked={chosen === b.id} onChange={() => setChosen(b.id)} />
          <span>
            {formatTime(b.createdAt)} · {b.kind}{b.encrypted ? ' · encrypted' : ''} · {formatBytes(b.size)} · {plural(b.counts.datasets, 'dataset', 'datasets')}, {plural(b.counts.locations, 'location', 'locations')}
            {b.copies?.length ? <span className="muted"> · in {placesOf(b.copies)}</span> : null}
          </span>
        </label>
      ))}
      {backup?.encrypted && (
        <label className="narrow">
          <span>Passphrase of this encrypted backup</span>
          <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" required />
        </label>
      )}
      <div>
        <button type="button" className="button button-small" onClick={() => void lookInStorages()} disabled={looking === 'looking'}>
          {looking === 'looking' ? 'Looking in the storages…' : 'Look for backups in the storages'}
        </button>
      </div>
      <ErrorNotice error={lookError} title="The storages could not be looked through" />
    </fieldset>
  );
}
