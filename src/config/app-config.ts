import { join, resolve } from 'node:path';
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting the service reads from its environment, parsed once at start-up. */
export const appConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** Largest accepted import or upload body, in bytes (default 2 GiB). */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(2 * 1024 ** 3),
  /** Largest JSON request body for ordinary calls. */
  MAX_JSON_BYTES: z.coerce.number().int().positive().default(1024 ** 2),
  /** Socket.IO across instances; unset means one instance. */
  REDIS_URL: z.string().url().optional(),
  /** Where backup files live: `file:<dir>` (default `<DATA_DIR>/backups`). */
  BACKUP_STORAGE: z.string().regex(/^(file:.+|s3:\/\/.+)$/, 'file:<dir> or s3://<bucket>/<prefix>').optional(),
  /** Passphrase for scheduled encrypted backups (never stored by the service). */
  BACKUP_PASSPHRASE: z.string().min(8).optional(),
  // Continuous archiving of the log (src/archive): off while ARCHIVE_STORAGE is unset.
  /** Where the log's segments go: `file:<dir>` (S3 and rclone once the storage drivers land). */
  ARCHIVE_STORAGE: z.string().regex(/^file:.+$/, 'file:<dir> (s3:// and rclone: come with the storage drivers)').optional(),
  /** A segment is sealed and uploaded this often while there are new events. */
  ARCHIVE_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1000),
  /** …or sooner, once its content reaches this many bytes (NDJSON, before gzip). */
  ARCHIVE_SEGMENT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(8 * 1024 ** 2),
  /** Serve the built web UI from web/dist when it exists. */
  SERVE_UI: booleanFlag.default(true),
});

export type AppConfigValues = z.infer<typeof appConfigSchema> & { dataDir: string };

/** The parsed configuration, injectable by this class token. */
export class AppConfig {
  constructor(readonly values: AppConfigValues) {}
}

/**
 * Parses the environment or fails with one readable line per bad variable, so a typo in a
 * deployment stops the service at start-up rather than surfacing later as odd behaviour.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = appConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return new AppConfig({ ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) });
}

/** DATA_DIR/tmp: staged uploads, scratch states, files being written; emptied at start-up. */
export const tmpDirOf = (config: AppConfig): string => join(config.values.dataDir, 'tmp');
