import { AppError } from '../../common/app-error';
import { IssueDetail } from '../../common/zod-issues';

/**
 * Why a backup file cannot be read. Codes are stable (clients and the verify report show them).
 * 400: the file is damaged or is not a backup; 422: the file is sound but this request or this app
 * version cannot open it. Every message says where: a byte offset in the file or a payload line.
 */
export const notABackup = (message: string, offset: number) =>
  new AppError('BACKUP.NOT_A_BACKUP', `not a Globe Vault backup: ${message} (byte ${offset})`, 400, { offset });

export const manifestCorrupt = (message: string, details: { offset: number; issues?: IssueDetail[] }) =>
  new AppError('BACKUP.MANIFEST_CORRUPT', `the backup's manifest is damaged: ${message} (byte ${details.offset})`, 400, details);

export const unsupportedVersion = (message: string, details: Record<string, unknown>) =>
  new AppError('BACKUP.UNSUPPORTED_VERSION', `the backup was written by a newer Globe Vault: ${message}`, 422, details);

/** Same code and status as backups/backup-errors.ts#passphraseRequired, said from the file's side. */
export const passphraseRequired = () =>
  new AppError('BACKUP.PASSPHRASE_REQUIRED', 'the backup is encrypted: a passphrase is needed to read it', 400);

export const wrongPassphrase = () =>
  new AppError('BACKUP.WRONG_PASSPHRASE', 'the passphrase does not open this backup (its key check does not match)', 422);

/** The file names a server key this server does not hold: the file may be sound, the key is what is missing. */
export const keyMissing = (keyId: string) =>
  new AppError(
    'BACKUP.KEY_MISSING',
    `the backup is encrypted with server key ${keyId}, which this server does not hold: add that key to BACKUP_KEY or BACKUP_KEY_FILE (keep older keys after a rotation)`,
    422,
    { keyId },
  );

export const wrongKey = (keyId: string) =>
  new AppError('BACKUP.WRONG_KEY', `the server key with id ${keyId} does not open this backup (its key check does not match): the key configured under that id is not the one it was encrypted with`, 422, {
    keyId,
  });

/** `line` is 1-based within the payload's NDJSON; `path` is the field inside the record ('' for the whole line). */
export const recordInvalid = (line: number, path: string, message: string) =>
  new AppError('BACKUP.RECORD_INVALID', `record on payload line ${line} is invalid${path ? ` at ${path}` : ''}: ${message}`, 400, {
    line,
    path,
    message,
  });

export const checksumMismatch = (message: string, details: Record<string, unknown>) =>
  new AppError('BACKUP.CHECKSUM_MISMATCH', `the backup's payload is damaged: ${message}`, 400, details);

export const authFailed = (offset: number) =>
  new AppError(
    'BACKUP.AUTH_FAILED',
    `the encrypted payload's checksum matches but its authentication tag does not (payload bytes ending at byte ${offset}): altered or forged`,
    400,
    { offset },
  );

export const truncated = (message: string, details: Record<string, unknown>) =>
  new AppError('BACKUP.TRUNCATED', `the backup is truncated: ${message}`, 400, details);

/** The payload is intact (its checksum matches) but holds more than, or other than, the manifest says. */
export const countMismatch = (message: string, details: Record<string, unknown>) =>
  new AppError('BACKUP.COUNT_MISMATCH', `the backup's content does not match its manifest: ${message}`, 400, details);

export const stateHashMismatch = (expected: string, actual: string) =>
  new AppError('BACKUP.STATE_HASH_MISMATCH', `the state in the backup hashes to ${actual}, its manifest says ${expected}`, 400, {
    expected,
    actual,
  });

/** A record handed to the writer that a reader would refuse: a bug on the writing side, so 500. */
export const recordNotWritable = (record: number, path: string, message: string) =>
  new AppError('BACKUP.RECORD_NOT_WRITABLE', `record #${record} cannot be written to a backup${path ? ` at ${path}` : ''}: ${message}`, 500, {
    record,
    path,
    message,
  });
