import { AppError } from '../../common/app-error';

/**
 * Why a Globe app project or BackupData JSON file cannot be restored. Both are 400s: the file is
 * what it is, and sending it again cannot succeed. A file is accepted whole or not at all, so either
 * error fails the whole restore, even when records were already read from it.
 */

/** Not JSON, or JSON of another shape; `details` says where when it is known. */
export const foreignMalformed = (message: string, details?: Record<string, unknown>) =>
  new AppError('BACKUP.FOREIGN_MALFORMED', `the file cannot be read: ${message}`, 400, details);

/** A value of the file nests arrays and objects deeper than `maxDepth`; `details` says where. */
export const foreignTooDeep = (maxDepth: number, where?: Record<string, unknown>) =>
  new AppError('BACKUP.FOREIGN_TOO_DEEP', `the file cannot be read: a value nests arrays and objects more than ${maxDepth} levels deep`, 400, {
    ...where,
    maxDepth,
  });

/**
 * One record of the file fails our schema. `index` is the 0-based position in the section's array
 * (null for a section that is one object); `path` is the field inside the record as we store it
 * ('' for the whole record).
 */
export const foreignRecordInvalid = (section: string, index: number | null, path: string, message: string) =>
  new AppError(
    'BACKUP.FOREIGN_RECORD_INVALID',
    `${index === null ? section : `${section}[${index}]`} is invalid${path ? ` at ${path}` : ''}: ${message}`,
    400,
    { section, index, path, message },
  );
