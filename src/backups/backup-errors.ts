import { AppError } from '../common/app-error';
import { VerifyReport } from './format/verify-backup';

export const backupNotFound = (id: string) => new AppError('BACKUP.NOT_FOUND', `backup ${id} does not exist`, 404, { id });
export const backupVerifyFailed = (stage: string, error: { code: string; message: string } | null) =>
  new AppError('BACKUP.VERIFY_FAILED', `the backup did not verify ${stage}: ${error?.message ?? 'unknown reason'}`, 500, { stage, error });

/** An uploaded file that did not verify: the first failed check's code, and the whole report (what can still be restored). */
export const backupRejected = (report: VerifyReport) =>
  new AppError(report.error?.code ?? 'BACKUP.INVALID', `the file is not a sound backup: ${report.error?.message ?? 'it failed verification'}`, 422, {
    checks: report.checks,
    restorable: report.restorable,
    error: report.error,
  });
export const unsupportedUpload = () =>
  new AppError('BACKUP.UNSUPPORTED_FORMAT', 'the file is neither a Globe Vault backup nor a Globe app project or BackupData JSON file', 415);

/** Encryption asked for with nothing to encrypt with; `message` says what to configure. */
export const keyNotConfigured = (message: string) => new AppError('BACKUP.KEY_NOT_CONFIGURED', message, 400);
