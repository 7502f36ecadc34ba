import { useState } from 'react';
import { type VerifyReport, backupDownloadUrl, deleteBackup, drillBackup, verifyBackup } from '../../api/backups';
import { downloadFile } from '../../api/download';
import type { Backup } from '../../api/types';
import { navigate } from '../../app/router';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatBytes, formatTime, plural } from '../../components/format';
import { announce } from '../../hooks/dataChanges';
import { BackupCopies } from './BackupCopies';
import { backupChecks } from './backupChecks';
import { VerifyResult } from './VerifyResult';

const KIND_TEXT: Record<string, string> = { manual: 'Manual', scheduled: 'Scheduled', 'pre-restore': 'Before a restore', uploaded: 'Uploaded', found: 'Found in storage' };

/**
 * One backup in the history, with verify, restore drill, download, restore and delete. `original`:
 * the listed backup an uploaded file is a copy of (its manifest names it), so the two are told apart.
 */
export function BackupRow({ backup, original, onError }: { backup: Backup; original?: Backup; onError: (error: unknown) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [verified, setVerified] = useState<VerifyReport | null>(null);
  const [checking, setChecking] = useState<'verify' | 'drill' | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    onError(null);
    try {
      await work();
    } catch (e) {
      onError(e);
    }
  };
  /** Verify and drill answer when done (the result is recorded on the backup, so the list shows it). */
  const runCheck = async (kind: 'verify' | 'drill') => {
    setChecking(kind);
    await run(async () => (kind === 'verify' ? setVerified(await verifyBackup(backup.id)) : drillBackup(backup.id)));
    announce('backups');
    setChecking(null);
  };
  const c = backup.counts;
  return (
    <tr data-testid="backup-row">
      <td>
        <button type="button" className="link-button" onClick={() => navigate(`/backups/browser?backup=${encodeURIComponent(backup.id)}`)} aria-label={`Open the backup of ${formatTime(backup.createdAt)}`}>
          {formatTime(backup.createdAt)}
        </button>
      </td>
      <td>
        {backup.label && <strong data-testid="backup-label">{backup.label}</strong>}
        <div>{KIND_TEXT[backup.kind] ?? backup.kind}</div>
        {original && <div className="muted">copy of the backup of {formatTime(original.createdAt)}</div>}
        <div className="muted">by {backup.actor}</div>
      </td>
      <td className="num">{formatBytes(backup.size)}</td>
      <td>
        {plural(c.datasets, 'dataset', 'datasets')}, {plural(c.locations, 'location', 'locations')}, {plural(c.configurations, 'configuration', 'configurations')}
        {backup.includesHistory && <div className="muted">with the full history</div>}
      </td>
      <td>
        <BackupCopies backup={backup} />
        <div className="muted">{[backup.format, backup.compression, backup.encrypted ? 'encrypted' : 'not encrypted'].filter(Boolean).join(' · ')}</div>
      </td>
      <td>
        {backupChecks(backup).map((check) => (
          <div key={check.text}>
            <span className={`status status-${check.tone}`}>{check.text}</span>
            {check.at && <div className="muted">{formatTime(check.at)}</div>}
          </div>
        ))}
        {verified && <VerifyResult report={verified} />}
      </td>
      <td className="row-actions">
        <button type="button" className="button button-small" onClick={() => void runCheck('verify')} disabled={checking !== null}>
          {checking === 'verify' ? 'Verifying…' : 'Verify'}
        </button>
        <button type="button" className="button button-small" onClick={() => void runCheck('drill')} disabled={checking !== null} title="Restore it into a scratch copy and compare">
          {checking === 'drill' ? 'Testing…' : 'Test restore'}
        </button>
        <button type="button" className="button button-small" onClick={() => void run(() => downloadFile(backupDownloadUrl(backup.id), `globe-vault-backup-${backup.id}.gvbk`))}>
          Download
        </button>
        <button type="button" className="button button-small" onClick={() => navigate(`/restore?backupId=${encodeURIComponent(backup.id)}`)}>
          Restore…
        </button>
        <button type="button" className="button button-small button-danger" onClick={() => setConfirming(true)} aria-label={`Delete the backup of ${formatTime(backup.createdAt)}`}>
          Delete
        </button>
        {confirming && (
          <ConfirmDialog
            title="Delete this backup?"
            confirmLabel="Delete backup"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              void run(async () => {
                await deleteBackup(backup.id);
                announce('backups');
              });
            }}
          >
            <p>The backup of {formatTime(backup.createdAt)} is removed from {backup.storage}. Your current data does not change.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
