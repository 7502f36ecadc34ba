import type { VerifyCheck, VerifyReport } from '../../api/backups';
import { formatTime } from '../../components/format';

/** What each check the server runs (src/backups/format/verify-backup.ts, payload-checks.ts) proves, in words. */
const CHECK_TEXT: Record<string, string> = {
  magic: 'It is a Globe Vault backup file',
  manifest: 'Its manifest (what it holds) is intact: its checksum matches',
  version: 'Its format version is one this server reads',
  'payload.size': 'The data has the size the manifest says',
  'payload.sha256': 'The data’s SHA-256 checksum matches the manifest',
  passphrase: 'The passphrase opens it',
  key: 'The server’s key opens it',
  'payload.auth': 'It decrypts, and its authentication tag proves nothing was altered',
  'payload.decode': 'It decompresses',
  'records.state': 'Every dataset, location, setting and configuration record is valid',
  'records.history': 'Every event of the history is valid',
  'counts.state': 'The record counts match the manifest',
  'counts.history': 'The number of history events matches the manifest',
  'payload.rawBytes': 'The decompressed size matches the manifest',
  stateHash: 'The fingerprint of the restored state matches the one taken at backup time',
  'payload.asWritten': 'The stored bytes are those written and checked at backup time',
};

const describe = (c: VerifyCheck) => CHECK_TEXT[c.name] ?? c.name;

/** The answer of "Verify": that it passed (or what failed) and each check it ran, not only a new time. */
export function VerifyResult({ report }: { report: VerifyReport }) {
  const failed = report.checks.filter((c) => !c.ok);
  const headline = !report.ok
    ? `Verification failed: ${report.error?.message ?? failed.map(describe).join('; ')}`
    : report.contentChecked
      ? `Verification passed: all ${report.checks.length} checks`
      : `Integrity checked (${report.checks.length} checks passed): the file is intact, but it is encrypted and its content was not opened`;
  return (
    <div data-testid="verify-result" className={`notice ${report.ok ? 'notice-success' : 'notice-warning'}`} role="status">
      <p>
        <strong>{headline}</strong> <span className="muted">{formatTime(report.verifiedAt)}</span>
      </p>
      <details>
        <summary>What was checked</summary>
        <ul>
          {report.checks.map((c) => (
            <li key={c.name} data-check={c.name} data-ok={c.ok}>
              {c.ok ? '✓' : '✗'} {describe(c)}
              {c.detail && <span className="muted"> ({c.detail})</span>}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
