import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { eventSchemaVersions } from '../../domain/events';
import { BACKUP_FORMAT_VERSION, BackupManifest, backupManifestSchema, Compression } from './backup-manifest';
import { BackupRecord, RecordLines } from './backup-record';
import { encodeBackupHeader } from './backup-header';
import { newPayloadKey, newServerKeyedPayloadKey } from './payload-key';
import { ServerKey } from '../../config/server-keys';
import { writePayload } from './write-payload';

export interface BackupInfo {
  appVersion: string;
  createdAt: string;
  /** The id the service lists the backup under, and the user's label, both recorded in the manifest. */
  backupId?: string;
  label?: string;
  headPosition: number;
  headRecordedAt: string | null;
  includesHistory: boolean;
  /** The log's chain head at headPosition, when the log has one there. */
  chainHead?: { position: number; hash: string };
}

export interface WriteBackupOptions {
  compression: Compression;
  /** Encrypts the payload (AES-256-GCM, key from scrypt). An empty passphrase is refused. */
  passphrase?: string;
  /** Encrypts the payload with this server key instead (AES-256-GCM, key from HKDF; the manifest names its id). Not with a passphrase. */
  serverKey?: ServerKey;
  /** Where the payload is staged before the header (which needs its size and hash) can be written. */
  tmpDir: string;
  signal?: AbortSignal;
  /** Called after each ~64 KiB of NDJSON and once at the end. */
  onProgress?: (p: { records: number; rawBytes: number }) => void;
  /** scrypt cost; for tests only (the manifest records it and readers use what it says). Default 2^15. */
  scryptN?: number;
}

/**
 * Writes a complete native backup file at `outPath` from records in file order (datasets,
 * locations, settings, configurations, then events when `includesHistory`), as objects or as lines
 * their source already serialized.
 *
 * Guarantees: memory stays flat whatever the number of records (the payload is staged in a temp
 * file in `tmpDir`, removed on every outcome); every record is checked as a reader will check it
 * (an event's payload excepted, see NdjsonCheck), so a record out of order or off-schema fails the
 * write (BACKUP.RECORD_NOT_WRITABLE) instead of producing a file that cannot be restored, and the
 * payload is decoded back as it is written (writePayload): the manifest's sha256 names bytes known
 * to decode to checked records (see verifyWrittenCopy); when the promise resolves, `outPath` is complete and
 * fsynced. On failure or abort (`signal`, rethrowing its reason) `outPath` is removed. `outPath`
 * is meant to be a temporary name: renaming it into place, and fsyncing that folder, is the caller's.
 */
export async function writeBackupFile(
  records: AsyncIterable<BackupRecord | RecordLines>,
  info: BackupInfo,
  outPath: string,
  options: WriteBackupOptions,
): Promise<BackupManifest> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (options.passphrase === '') throw new Error('an empty passphrase cannot encrypt a backup');
  if (options.passphrase !== undefined && options.serverKey) throw new Error('a backup is encrypted with a passphrase or a server key, not both');
  const sealed =
    options.passphrase !== undefined ? await newPayloadKey(options.passphrase, options.scryptN) : options.serverKey ? newServerKeyedPayloadKey(options.serverKey) : null;
  const payloadPath = join(options.tmpDir, `backup-payload-${randomUUID()}.tmp`);
  let outOpened = false;
  try {
    const payload = await writePayload(records, payloadPath, {
      compression: options.compression,
      key: sealed?.key ?? null,
      includesHistory: info.includesHistory,
      signal,
      onProgress: options.onProgress,
    });
    const manifest = backupManifestSchema.parse({
      format: 'globe-vault-backup',
      formatVersion: BACKUP_FORMAT_VERSION,
      ...info,
      eventSchemaVersions: { ...eventSchemaVersions },
      counts: payload.counts,
      stateHash: payload.stateHash,
      payload: {
        compression: options.compression,
        encryption: sealed?.encryption ?? null,
        bytes: payload.bytes,
        rawBytes: payload.rawBytes,
        sha256: payload.sha256,
      },
    });
    outOpened = true;
    await assemble(outPath, encodeBackupHeader(manifest), payloadPath, signal);
    return manifest;
  } catch (error) {
    if (outOpened) await rm(outPath, { force: true });
    signal?.throwIfAborted();
    throw error;
  } finally {
    await rm(payloadPath, { force: true });
  }
}

/** Header then the staged payload into `outPath`, fsynced before it is closed. */
async function assemble(outPath: string, header: Buffer, payloadPath: string, signal?: AbortSignal): Promise<void> {
  const out = await open(outPath, 'w');
  try {
    await out.write(header);
    for await (const chunk of createReadStream(payloadPath, { highWaterMark: 1024 * 1024, signal })) await out.write(chunk as Buffer);
    await out.sync();
  } finally {
    await out.close();
  }
}
