import { useState } from 'react';
import { type BackUpNowOptions, backUpNow } from '../../api/backups';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgress } from '../../components/JobProgress';
import { isFinished, useJob } from '../../hooks/useJob';

type Encryption = 'none' | 'server-key' | 'passphrase';

/** The server's shortest accepted passphrase (backup.dto.ts). */
const MIN_PASSPHRASE = 8;

/** Why the form cannot start a backup yet, or null: the passphrase is checked here, so a typo never seals a backup. */
function formProblem(encryption: Encryption, passphrase: string, again: string): string | null {
  if (encryption !== 'passphrase') return null;
  if (passphrase.length < MIN_PASSPHRASE) return `The passphrase needs at least ${MIN_PASSPHRASE} characters.`;
  if (passphrase !== again) return 'The two passphrases differ.';
  return null;
}

/**
 * One click with the defaults (gzip, with the history, not encrypted), or with a label, encryption
 * (the server's key when one is configured, or a passphrase typed twice) and compression; then the
 * backup's live progress until it is done. The passphrase is never stored: without it the backup
 * cannot be restored.
 */
export function BackUpNow({ serverKeyId }: { serverKeyId?: string | null }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [label, setLabel] = useState('');
  const [compression, setCompression] = useState<'gzip' | 'none'>('gzip');
  const [encryption, setEncryption] = useState<Encryption>('none');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const job = useJob(jobId);
  const running = starting || (jobId !== null && !isFinished(job));
  const problem = formProblem(encryption, passphrase, again);
  const start = async (e: React.FormEvent) => {
    e.preventDefault();
    if (problem) return;
    setError(null);
    setStarting(true);
    const options: BackUpNowOptions = { compression };
    if (label.trim()) options.label = label.trim();
    if (encryption === 'server-key') options.encrypt = true;
    if (encryption === 'passphrase') options.passphrase = passphrase;
    try {
      setJobId((await backUpNow(options)).jobId);
      setPassphrase('');
      setAgain('');
    } catch (err) {
      setError(err);
    } finally {
      setStarting(false);
    }
  };
  return (
    <form className="stack" onSubmit={start} aria-label="Back up now">
      <div className="form-row">
        <label>
          <span>Label (optional)</span>
          <input value={label} maxLength={200} placeholder="e.g. before the spring import" onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          <span>Encryption</span>
          <select value={encryption} onChange={(e) => setEncryption(e.target.value as Encryption)}>
            <option value="none">Not encrypted</option>
            {serverKeyId && <option value="server-key">With the server’s key</option>}
            <option value="passphrase">With a passphrase</option>
          </select>
        </label>
        <label>
          <span>Compression</span>
          <select value={compression} onChange={(e) => setCompression(e.target.value as 'gzip' | 'none')}>
            <option value="gzip">gzip (smaller)</option>
            <option value="none">none (faster)</option>
          </select>
        </label>
      </div>
      {encryption === 'passphrase' && (
        <div className="form-row">
          <label>
            <span>Passphrase</span>
            <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </label>
          <label>
            <span>Passphrase again</span>
            <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
          </label>
          <p className="muted">The passphrase is not stored anywhere: without it this backup cannot be restored.</p>
        </div>
      )}
      {encryption === 'server-key' && <p className="muted">Sealed with the server’s key “{serverKeyId}”: a server without that key cannot read it.</p>}
      <div>
        <button type="submit" className="button button-primary button-large" disabled={running || problem !== null}>
          Back up now
        </button>
        {problem && passphrase !== '' && (
          <span className="muted" role="status">
            {' '}
            {problem}
          </span>
        )}
      </div>
      <ErrorNotice error={error} title="The backup did not start" />
      {jobId && <JobProgress job={job} label="Backup" />}
      {job?.state === 'failed' && <ErrorNotice error={new Error(job.error?.message ?? 'the backup failed')} title="Backup failed" />}
    </form>
  );
}
