import { z } from 'zod';
import { BACKUP_LABEL_MAX, compressionSchema } from './format/backup-manifest';
import { storageChoiceSchema } from '../domain/backup-schedule';

/** One click is `{}`: gzip, with the history, not encrypted. */
export const createBackupBody = z
  .object({
    compression: compressionSchema.default('gzip'),
    includeHistory: z.boolean().default(true),
    /** The user's name for the backup, shown in the history and kept in the file's manifest; blank is no label. */
    label: z
      .string()
      .trim()
      .max(BACKUP_LABEL_MAX)
      .transform((s) => s || undefined)
      .optional(),
    /** Encrypts the backup with this passphrase (AES-256-GCM, scrypt). The service never stores it. */
    passphrase: z.string().min(8).max(1024).optional(),
    /** Encrypts the backup; without a passphrase, with the server's current key (BACKUP_KEY / BACKUP_KEY_FILE). */
    encrypt: z.boolean().optional(),
    /** Which configured storage gets the backup: an index into BACKUP_STORAGE or its URL; default every one. */
    storage: storageChoiceSchema.optional(),
  })
  .strict()
  .refine((b) => !(b.encrypt === false && b.passphrase !== undefined), { message: 'encrypt: false contradicts a passphrase', path: ['encrypt'] });

/** `?refresh=true` first registers the backups the storages hold that the catalog does not know. */
export const listBackupsQuery = z.object({ refresh: z.enum(['true', 'false']).optional() }).strict();

export const verifyBackupBody = z.object({ passphrase: z.string().min(1).max(1024).optional() }).strict();
