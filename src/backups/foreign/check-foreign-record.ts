import { BackupRecord, backupRecordSchema } from '../format/backup-record';
import { foreignRecordInvalid } from './foreign-errors';

type StateRecord<T extends BackupRecord['t']> = Extract<BackupRecord, { t: T }>;

/**
 * A record made from a foreign file, validated by the same schemas as a native backup's records
 * (format/backup-record.ts). Throws `BACKUP.FOREIGN_RECORD_INVALID` naming the file's section, the
 * record's index in it and the first failing field, as we store it ('latitude', 'properties').
 */
export function checkForeignRecord<T extends BackupRecord['t']>(
  record: { t: T; v: unknown },
  section: string,
  index: number | null,
): StateRecord<T> {
  const parsed = backupRecordSchema.safeParse(record);
  if (parsed.success) return parsed.data as StateRecord<T>;
  const issue = parsed.error.issues[0];
  const path = issue.path.slice(1).map(String).join('.');
  throw foreignRecordInvalid(section, index, path, issue.message);
}
