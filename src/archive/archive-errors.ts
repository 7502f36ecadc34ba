import { AppError } from '../common/app-error';

/** A position range the archive does not hold: the restore stops before writing anything. */
export const archiveGap = (after: number, missingFrom: number, details: Record<string, unknown>) =>
  new AppError('ARCHIVE.GAP', `the archive has no segment holding position ${missingFrom} (it holds a complete chain up to position ${after})`, 422, {
    missingFrom,
    ...details,
  });

/** An object whose bytes are not what its header promises (or cannot be read at all). */
export const archiveChecksumMismatch = (key: string, reason: string, details: Record<string, unknown> = {}) =>
  new AppError('ARCHIVE.CHECKSUM_MISMATCH', `archive object ${key} is damaged: ${reason}`, 422, { key, reason, ...details });

/** A sound object whose events do not continue the history before them (another line of history, or a rewritten one). */
export const archiveChainMismatch = (key: string, position: number, details: Record<string, unknown> = {}) =>
  new AppError('ARCHIVE.CHAIN_MISMATCH', `archive object ${key} does not continue the hash chain of the history before it (at position ${position})`, 422, {
    key,
    position,
    ...details,
  });

export const archiveNotConfigured = () =>
  new AppError('ARCHIVE.NOT_CONFIGURED', 'no archive storage is configured (ARCHIVE_STORAGE)', 400);

export const archiveEmpty = (storage: string) => new AppError('ARCHIVE.EMPTY', `the archive at ${storage} holds no segment`, 404, { storage });

export const archivePassphraseRequired = (key: string) =>
  new AppError('ARCHIVE.PASSPHRASE_REQUIRED', `archive object ${key} is encrypted: configure the passphrase it was written with (BACKUP_PASSPHRASE)`, 400, { key });

export const archiveWrongPassphrase = (key: string) =>
  new AppError('ARCHIVE.WRONG_PASSPHRASE', `the configured passphrase does not open archive object ${key} (its key check does not match)`, 422, { key });

/** Encryption is configured but cannot be applied: nothing is uploaded (fail closed). */
export const archiveEncryptionUnavailable = (reason: string) =>
  new AppError('ARCHIVE.ENCRYPTION_UNAVAILABLE', `archive encryption is configured but cannot be applied (${reason}): nothing is uploaded`, 500, { reason });
