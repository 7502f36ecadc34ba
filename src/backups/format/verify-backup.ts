import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';
import { BackupManifest } from './backup-manifest';
import { PayloadCheck } from './payload-checks';
import { PayloadKey } from './payload-key';
import { PayloadScan } from './payload-scan';
import { readBackupManifest } from './read-backup-manifest';
import { PayloadSecrets, unlock } from './read-backup-records';

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface VerifyReport {
  /** Every check that ran passed. */
  ok: boolean;
  manifest: BackupManifest | null;
  checks: VerifyCheck[];
  /** The first failure, as a reader would throw it. */
  error: { code: string; message: string; details?: unknown } | null;
  /** What a restore from this file can take: the payload is intact and that part's records, counts (and for the state, hash) hold. */
  restorable: { state: boolean; history: boolean };
  /**
   * False when the payload is encrypted and could not be opened (no passphrase given, or the server
   * key it names not held, or either wrong): then only the stored bytes' size and sha256 were
   * checked (integrity), nothing was decrypted, and `restorable` is all false because nothing about
   * the content was shown.
   */
  contentChecked: boolean;
}

export const HEADER_CHECKS = ['magic', 'manifest', 'version'] as const;
const FAILED_HEADER_CHECK: Record<string, (typeof HEADER_CHECKS)[number]> = {
  'BACKUP.NOT_A_BACKUP': 'magic',
  'BACKUP.TRUNCATED': 'manifest',
  'BACKUP.MANIFEST_CORRUPT': 'manifest',
  'BACKUP.UNSUPPORTED_VERSION': 'version',
};

/**
 * Reads a whole backup once and reports every check. Never throws for a damaged, truncated, forged
 * or foreign file, nor for a wrong passphrase or a missing or wrong server key: those are in the
 * report (check `passphrase` or `key`). It throws only when the input stream itself fails (an I/O
 * error is not a verdict on the file). A passphrase-encrypted file without its passphrase is checked
 * for integrity only, and that is not a failure.
 */
export async function verifyBackup(input: Readable, options: PayloadSecrets): Promise<VerifyReport> {
  const opened = await openOrReport(input);
  if ('checks' in opened) return opened;
  const { manifest, payload, payloadOffset } = opened;
  const checks: PayloadCheck[] = HEADER_CHECKS.map((name) => ({ name, ok: true }));
  let key: PayloadKey | null = null;
  const encryption = manifest.payload.encryption;
  const byServerKey = encryption?.kdf === 'hkdf-sha256';
  if (encryption && (byServerKey || options.passphrase !== undefined)) {
    const name = byServerKey ? 'key' : 'passphrase';
    try {
      key = await unlock(manifest, options);
      checks.push({ name, ok: true });
    } catch (error) {
      if (!(error instanceof AppError)) {
        payload.destroy();
        throw error;
      }
      checks.push({ name, ok: false, detail: error.message, error });
    }
  }
  const contentChecked = !encryption || key !== null;
  const scan = new PayloadScan(manifest, payload, payloadOffset, { key, skipHistory: false });
  for await (const scanned of scan.records()) void scanned; // the scan keeps what the report needs
  checks.push(...(await scan.checks()));
  return report(manifest, checks, contentChecked);
}

/** The report of `checks`; `payload.asWritten` (a copy of bytes the writer decoded back to the NDJSON it checked, see verifyWrittenCopy) stands for decoding and the record checks. */
export function report(manifest: BackupManifest, checks: PayloadCheck[], contentChecked: boolean): VerifyReport {
  const failed = checks.find((c) => !c.ok);
  const passed = (...names: string[]) => names.every((name) => checks.some((c) => c.name === name && c.ok));
  const asWritten = passed('payload.asWritten');
  const decoded = passed('payload.decode') && (!manifest.payload.encryption || passed('payload.auth'));
  const intact = contentChecked && passed('payload.size', 'payload.sha256') && (asWritten || decoded);
  return {
    ok: !failed,
    manifest,
    checks: checks.map(({ name, ok, detail }) => (detail === undefined ? { name, ok } : { name, ok, detail })),
    error: failed?.error ? publicError(failed.error) : null,
    restorable: {
      state: intact && (asWritten || passed('records.state', 'counts.state', 'stateHash')),
      history: intact && manifest.includesHistory && (asWritten || passed('records.history', 'counts.history')),
    },
    contentChecked,
  };
}

/** The file's manifest, or the report of a header that cannot be read (an I/O error still throws). */
export async function openOrReport(input: Readable): Promise<Awaited<ReturnType<typeof readBackupManifest>> | VerifyReport> {
  try {
    return await readBackupManifest(input);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return headerFailure(error);
  }
}

export function headerFailure(error: AppError): VerifyReport {
  const failedAt = HEADER_CHECKS.indexOf(FAILED_HEADER_CHECK[error.code] ?? 'magic');
  return {
    ok: false,
    manifest: null,
    checks: HEADER_CHECKS.slice(0, failedAt + 1).map((name, i) => (i < failedAt ? { name, ok: true } : { name, ok: false, detail: error.message })),
    error: publicError(error),
    restorable: { state: false, history: false },
    contentChecked: false,
  };
}

const publicError = (error: AppError) => ({ code: error.code, message: error.message, details: error.details });
