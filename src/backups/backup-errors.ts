import { AppError } from '../common/app-error';

export const backupNotFound = (id: string) => new AppError('BACKUP.NOT_FOUND', `backup ${id} does not exist`, 404, { id });
export const backupVerifyFailed = (stage: string, error: { code: string; message: string } | null) =>
  new AppError('BACKUP.VERIFY_FAILED', `the backup did not verify ${stage}: ${error?.message ?? 'unknown reason'}`, 500, { stage, error });
export const passphraseRequired = () =>
  new AppError('BACKUP.PASSPHRASE_REQUIRED', 'an encrypted backup needs a passphrase (in the request, or BACKUP_PASSPHRASE for scheduled ones)', 400);
