import { z } from 'zod';
import { KEY_ID } from '../../config/server-keys';

/** The native format's version. A file from a newer version is refused before anything is read. */
export const BACKUP_FORMAT_VERSION = 1;
export const BACKUP_MAGIC = 'GLOBE-VAULT-BACKUP';

/** The longest label a backup takes, in characters. */
export const BACKUP_LABEL_MAX = 200;

export const compressionSchema = z.enum(['gzip', 'brotli', 'none']);
export type Compression = z.infer<typeof compressionSchema>;

/** base64 of exactly `bytes` bytes. */
const base64Of = (bytes: number) =>
  z.string().refine((s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && Buffer.from(s, 'base64').length === bytes, `base64 of ${bytes} bytes`);

/**
 * scrypt cost bounds a reader accepts. The file says which cost it was written with; the bounds stop
 * a crafted manifest from asking for gigabytes of memory or minutes of CPU (128·N·r bytes ≤ 128 MiB).
 * Below 2^14 only for tests (writeBackupFile's scryptN option).
 */
export const SCRYPT_BOUNDS = { minN: 2 ** 10, maxN: 2 ** 17, maxR: 8, maxP: 4 } as const;

/** Encrypted with a key derived from a passphrase (scrypt). */
const passphraseEncryptionSchema = z.object({
  algorithm: z.literal('aes-256-gcm'),
  kdf: z.literal('scrypt'),
  /** base64, 16 bytes */
  salt: base64Of(16),
  N: z
    .number()
    .int()
    .min(SCRYPT_BOUNDS.minN)
    .max(SCRYPT_BOUNDS.maxN)
    .refine((n) => (n & (n - 1)) === 0, 'N is a power of two'),
  r: z.number().int().min(1).max(SCRYPT_BOUNDS.maxR),
  p: z.number().int().min(1).max(SCRYPT_BOUNDS.maxP),
  /** base64, 12 bytes */
  iv: base64Of(12),
  /** base64 HMAC-SHA256(key, "globe-vault key check"): tells a wrong passphrase from a damaged file. */
  keyCheck: base64Of(32),
});

/**
 * Encrypted with a server key (BACKUP_KEY / BACKUP_KEY_FILE) named by its id; the payload's own
 * key is HKDF-SHA256(server key, salt, "globe-vault payload"), so no two files share a GCM key.
 */
const serverKeyEncryptionSchema = z.object({
  algorithm: z.literal('aes-256-gcm'),
  kdf: z.literal('hkdf-sha256'),
  /** The server key's id (see config/server-keys.ts): which key a reader needs. */
  keyId: z.string().regex(KEY_ID),
  /** base64, 16 bytes */
  salt: base64Of(16),
  /** base64, 12 bytes */
  iv: base64Of(12),
  /** base64 HMAC-SHA256(payload key, "globe-vault key check"): tells a wrong key (same id, other bytes) from a damaged file. */
  keyCheck: base64Of(32),
});

/** How the payload was encrypted; never the key. Told apart by `kdf`; manifests from before server keys are all `scrypt`. */
export const encryptionSchema = z.discriminatedUnion('kdf', [passphraseEncryptionSchema, serverKeyEncryptionSchema]);
export type Encryption = z.infer<typeof encryptionSchema>;
export type PassphraseEncryption = z.infer<typeof passphraseEncryptionSchema>;
export type ServerKeyEncryption = z.infer<typeof serverKeyEncryptionSchema>;

export const recordCountsSchema = z.object({
  datasets: z.number().int().min(0),
  locations: z.number().int().min(0),
  configurations: z.number().int().min(0),
  settings: z.number().int().min(0).max(1),
  events: z.number().int().min(0),
});
export type RecordCounts = z.infer<typeof recordCountsSchema>;

/**
 * A native backup file is: the magic line, this manifest as one JSON line, a line with the
 * manifest line's sha256, then the payload (NDJSON records → compressed → optionally encrypted)
 * to the end of the file. Every byte is covered by a check: the magic, the manifest's own sha256,
 * the payload's sha256 (of the stored bytes, so integrity can be verified without the passphrase),
 * the AEAD tag, and the state hash recomputed from the records.
 */
export const backupManifestSchema = z.object({
  format: z.literal('globe-vault-backup'),
  formatVersion: z.number().int().min(1),
  appVersion: z.string(),
  createdAt: z.string(),
  /**
   * The id the writing service listed this backup under: an uploaded copy of a downloaded file
   * carries its original's id, so the history can tell the two apart. Optional: older files have none.
   */
  backupId: z.string().max(100).optional(),
  /** The user's name for the backup ("before the spring import"). Optional. */
  label: z.string().max(BACKUP_LABEL_MAX).optional(),
  /** The log position the state is taken at, and that position's recordedAt. */
  headPosition: z.number().int().min(0),
  headRecordedAt: z.string().nullable(),
  /** Event schema versions of this app when written: a reader upcasts older ones. */
  eventSchemaVersions: z.record(z.string(), z.number().int()),
  includesHistory: z.boolean(),
  /**
   * The log's hash chain head at headPosition (events/event-chain.ts): what this backup's state
   * covers. Optional: backups written before the chain have none.
   */
  chainHead: z.object({ position: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  counts: recordCountsSchema,
  stateHash: z.string().regex(/^[0-9a-f]{64}$/),
  payload: z.object({
    compression: compressionSchema,
    encryption: encryptionSchema.nullable(),
    /** Bytes of the payload as stored (after compression and encryption). */
    bytes: z.number().int().min(0),
    /** Bytes of the NDJSON before compression. */
    rawBytes: z.number().int().min(0),
    /** sha256 of the stored payload bytes. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;
