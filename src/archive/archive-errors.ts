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

/** A follower serves reads only: every write is refused until it is promoted. */
export const followerReadOnly = (storage: string) =>
  new AppError('FOLLOWER.READ_ONLY', `this instance follows the archive at ${storage} and serves reads only (promote it with POST /api/archive/promote to write)`, 409, {
    storage,
  });

/** The follower's log is not a prefix of the archive's current history (a chain head disagrees). */
export const followerDiverged = (epoch: number, position: number) =>
  new AppError('FOLLOWER.DIVERGED', `this instance's log is not the history of the archive's epoch ${epoch} up to position ${position}: restore it from the archive to follow again`, 409, {
    epoch,
    position,
  });

export const archiveNotFollower = () => new AppError('ARCHIVE.NOT_FOLLOWER', 'this instance does not follow an archive (ARCHIVE_FOLLOW): there is nothing to promote', 409);

/**
 * Another instance started a newer epoch in the store (a promoted follower): this one no longer
 * uploads (fail closed) and refuses writes, which would be a history nobody follows.
 */
export const archiveSuperseded = (storage: string, epoch: number, newerEpoch: number) =>
  new AppError('ARCHIVE.SUPERSEDED', `epoch ${newerEpoch} in ${storage} superseded this instance's epoch ${epoch}: it no longer writes (follow the archive or restore from it)`, 409, {
    storage,
    epoch,
    newerEpoch,
  });
