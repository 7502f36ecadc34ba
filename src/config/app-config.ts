import { join, resolve } from 'node:path';
import { z } from 'zod';
import { eventStoreHasItsServer, eventStoreVariables, kurrentDbDoesNotFollow } from './event-store-config';
import { parseServerKeys, readKeyFile, ServerKey } from './server-keys';
import { StorageUrl, storageUrlListSchema, storageUrlOrOffSchema, storageUrlSchema } from './storage-urls';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const commaList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((item) => item.trim()).filter(Boolean));

// ── Server-side keys (BACKUP_KEY / BACKUP_KEY_FILE): encrypted backups and archive segments ──
/** A key list read by `read`; its error (which never quotes a key) becomes the variable's issue. */
const keyList = (read: (value: string) => ServerKey[]) =>
  z.string().transform((value, ctx) => {
    try {
      return read(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
const backupKeyVariables = {
  /** Keys as text: `key` or `id:key` (base64 or hex of 32 bytes), separated by commas or newlines; the last is current. */
  BACKUP_KEY: keyList(parseServerKeys).optional(),
  /** The same list in a file (one entry a line), refused when other users may read it. */
  BACKUP_KEY_FILE: keyList(readKeyFile).optional(),
};
const oneKeySource = (v: { BACKUP_KEY?: unknown; BACKUP_KEY_FILE?: unknown }, ctx: z.RefinementCtx) => {
  if (v.BACKUP_KEY && v.BACKUP_KEY_FILE) ctx.addIssue({ code: 'custom', path: ['BACKUP_KEY'], message: 'set BACKUP_KEY or BACKUP_KEY_FILE, not both' });
};
/** The configured server keys, oldest first (the last is current); empty when none is. */
export const backupKeysOf = (values: AppConfigValues): ServerKey[] => values.BACKUP_KEY_FILE ?? values.BACKUP_KEY ?? [];
// ── end of server-side keys ──

/** A follower that promotes archives where it followed: one storage, or the config is refused. */
const followsItsArchive = (v: { ARCHIVE_FOLLOW?: StorageUrl; ARCHIVE_STORAGE?: StorageUrl | 'off' }, ctx: z.RefinementCtx) => {
  if (!v.ARCHIVE_FOLLOW || v.ARCHIVE_STORAGE === undefined) return;
  if (v.ARCHIVE_STORAGE === 'off' || v.ARCHIVE_STORAGE.url !== v.ARCHIVE_FOLLOW.url) {
    ctx.addIssue({ code: 'custom', path: ['ARCHIVE_STORAGE'], message: 'a follower archives where it follows once promoted: leave ARCHIVE_STORAGE unset or set it to ARCHIVE_FOLLOW' });
  }
};

/** Every setting the service reads from its environment, parsed once at start-up. */
export const appConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  // Where the log and the read models live (event-store-config.ts, README "Past one machine").
  ...eventStoreVariables,
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** Log lines as JSON (one object a line), readable text (`pretty`), or `auto`: readable when stdout is a terminal. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
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
  // Continuous archiving of the log (src/archive): off while ARCHIVE_STORAGE is unset.
  /** Where the log's segments go (a storage URL as in BACKUP_STORAGE); default the first remote BACKUP_STORAGE, `off` to stop. */
  ARCHIVE_STORAGE: storageUrlOrOffSchema.optional(),
  /** A segment is sealed and uploaded this often while there are new events. */
  ARCHIVE_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1000),
  /** …or sooner, once its content reaches this many bytes (NDJSON, before gzip). */
  ARCHIVE_SEGMENT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(8 * 1024 ** 2),
  /**
   * Follow the archive at this storage URL as a read-only replica (README "Cross-device sync"): the
   * log is applied from its segments, every write answers 409 FOLLOWER.READ_ONLY until
   * POST /api/archive/promote. ARCHIVE_STORAGE, when also set, must name the same storage.
   */
  ARCHIVE_FOLLOW: storageUrlSchema.optional(),
  /** How often a follower LISTs the archive for new segments; idle, it waits up to 8× longer between LISTs. */
  ARCHIVE_FOLLOW_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1000),
  /** Serve the built web UI from web/dist when it exists. */
  SERVE_UI: booleanFlag.default(true),

  // Access control (src/auth/, README "Security model").
  /** Seeds the first admin: its HMAC is compared in constant time, the value is never stored. */
  ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').max(512).optional(),
  /** Require a token on loopback too (always required when HOST is not loopback). */
  AUTH_REQUIRED: booleanFlag.default(false),
  /** Host names (besides loopback ones) the service answers to, e.g. `vault.example.org,vault`. */
  ALLOWED_HOSTS: commaList,
  /** Origins allowed to call the API and the progress socket from a browser (CORS); closed when empty. */
  CORS_ORIGINS: commaList.pipe(z.array(z.url().transform((u) => new URL(u).origin))),
  /** Requests per minute and client to heavy endpoints (backups, restores, imports, uploads, drills, rebuild). */
  RATE_LIMIT_HEAVY_PER_MINUTE: z.coerce.number().int().positive().default(300),
  /** Requests per minute and client to the token endpoints. */
  RATE_LIMIT_TOKENS_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** Refused tokens per minute and client address before every request from it answers 429. */
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(100),
  ...backupKeyVariables,
})
  .superRefine(oneKeySource)
  .superRefine(followsItsArchive)
  .superRefine(eventStoreHasItsServer)
  .superRefine(kurrentDbDoesNotFollow);

/** Variables read from the environment outside this schema (by a tool the service runs). */
const READ_BY_TOOLS = ['RCLONE_CONFIG'];
/**
 * Every environment variable the service knows: a deployment (docker-compose.yml) that sets any
 * other one set it for nothing, and its spec says so (test/foundation/compose.spec.ts).
 */
export const KNOWN_ENV_VARIABLES: readonly string[] = [...Object.keys(appConfigSchema.shape), ...READ_BY_TOOLS];

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
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${shown(String(i.path[0]), env[String(i.path[0])])})`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return new AppConfig({ ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) });
}

/** Variables whose values must never reach a log, even when they are wrong. */
const SECRET_VARIABLES = new Set(['ADMIN_TOKEN', 'BACKUP_KEY', 'BACKUP_PASSPHRASE', 'DATABASE_URL', 'KURRENTDB_URL']);
const shown = (name: string, value: string | undefined): string =>
  SECRET_VARIABLES.has(name) && value !== undefined ? 'a value not shown' : JSON.stringify(value);

/** DATA_DIR/tmp: staged uploads, scratch states, files being written; emptied at start-up. */
export const tmpDirOf = (config: AppConfig): string => join(config.values.dataDir, 'tmp');

/**
 * The storage the log is archived to (or followed from): ARCHIVE_FOLLOW, ARCHIVE_STORAGE, else the
 * first BACKUP_STORAGE that is not a local folder (a copy on the disk it protects is no archive),
 * else none (archiving off).
 */
export function archiveStorageOf(values: AppConfigValues): StorageUrl | null {
  if (values.ARCHIVE_FOLLOW) return values.ARCHIVE_FOLLOW;
  if (values.ARCHIVE_STORAGE === 'off') return null;
  if (values.ARCHIVE_STORAGE) return values.ARCHIVE_STORAGE;
  return values.BACKUP_STORAGE?.find((u) => u.kind !== 'file') ?? null;
}
