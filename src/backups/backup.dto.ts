import { z } from 'zod';
import { compressionSchema } from './format/backup-manifest';

/** One click is `{}`: gzip, with the history, not encrypted. */
export const createBackupBody = z
  .object({
    compression: compressionSchema.default('gzip'),
    includeHistory: z.boolean().default(true),
    /** Encrypts the backup with this passphrase (AES-256-GCM, scrypt). The service never stores it. */
    passphrase: z.string().min(8).max(1024).optional(),
  })
  .strict();

export const verifyBackupBody = z.object({ passphrase: z.string().min(1).max(1024).optional() }).strict();
