import { createHash } from 'node:crypto';
import { BACKUP_MAGIC, BackupManifest } from './backup-manifest';

/** A manifest line longer than this is refused unread: a reader never buffers more of a header. */
export const MAX_MANIFEST_LINE_BYTES = 1024 * 1024;

export const MAGIC_LINE = Buffer.from(`${BACKUP_MAGIC}\n`, 'ascii');
export const CHECKSUM_PREFIX = 'sha256:';
/** `sha256:` + 64 lowercase hex digits + `\n`. */
export const CHECKSUM_LINE_BYTES = CHECKSUM_PREFIX.length + 64 + 1;

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The three header lines: magic, the manifest as one JSON line, the sha256 of that line's bytes. */
export function encodeBackupHeader(manifest: BackupManifest): Buffer {
  const manifestLine = Buffer.from(JSON.stringify(manifest), 'utf8');
  if (manifestLine.length > MAX_MANIFEST_LINE_BYTES) throw new Error(`backup manifest is ${manifestLine.length} bytes, over the 1 MiB limit`);
  const checksumLine = Buffer.from(`\n${CHECKSUM_PREFIX}${sha256Hex(manifestLine)}\n`, 'ascii');
  return Buffer.concat([MAGIC_LINE, manifestLine, checksumLine]);
}
