import { join, resolve } from 'node:path';
import { z } from 'zod';
import { storageUrlListSchema } from './storage-urls';

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
  // --- Backup storages (see README "Cloud storage"); RCLONE_CONFIG is read by rclone itself.
  /** Where backup files live, comma-separated, the first the primary: `file:<dir>` (default `<DATA_DIR>/backups`), `s3://<bucket>/<prefix>`, `rclone:<remote>:<path>`. */
  BACKUP_STORAGE: storageUrlListSchema.optional(),
  /** An S3-compatible endpoint other than AWS (MinIO, R2, B2, Supabase); unset means AWS. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO, Supabase, most self-hosted stores). */
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  /** S3 credentials, read at start-up; without them the SDK's default chain (profile, SSO, instance role) is used. */
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  /** Longest wait between two attempts at a copy that could not be stored (the queue's backoff cap). */
  BACKUP_COPY_RETRY_MAX_MS: z.coerce.number().int().min(100).default(5 * 60_000),
  // --- end of backup storages
  /** Passphrase for scheduled encrypted backups (never stored by the service). */
  BACKUP_PASSPHRASE: z.string().min(8).optional(),
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
