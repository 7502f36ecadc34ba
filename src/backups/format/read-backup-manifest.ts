import { Readable } from 'node:stream';
import { zodIssues } from '../../common/zod-issues';
import { eventSchemaVersions, isEventType } from '../../domain/events';
import { BACKUP_FORMAT_VERSION, BackupManifest, backupManifestSchema } from './backup-manifest';
import { CHECKSUM_LINE_BYTES, CHECKSUM_PREFIX, MAGIC_LINE, MAX_MANIFEST_LINE_BYTES, sha256Hex } from './backup-header';
import { manifestCorrupt, notABackup, truncated, unsupportedVersion } from './backup-format-errors';
import { HeaderReader } from './header-reader';

export interface OpenedManifest {
  manifest: BackupManifest;
  /** The payload's stored bytes, from the byte after the header to the end of the input. Read it or destroy it: it holds the input open. */
  payload: Readable;
  /** Where the payload starts in the file (for error messages). */
  payloadOffset: number;
}

const CHECKSUM_LINE = new RegExp(`^${CHECKSUM_PREFIX}[0-9a-f]{64}$`);

/**
 * Reads and checks the three header lines, buffering at most 1 MiB: the magic (else
 * BACKUP.NOT_A_BACKUP), the manifest line against the checksum line (BACKUP.MANIFEST_CORRUPT; the
 * hex must be lowercase so that no single flipped bit passes), the manifest's schema
 * (BACKUP.MANIFEST_CORRUPT) and versions (BACKUP.UNSUPPORTED_VERSION, before the schema, since a
 * newer format may have another shape). Input ending inside the header is BACKUP.TRUNCATED.
 * Nothing of the payload is read; on failure the input is destroyed.
 */
export async function readBackupManifest(input: Readable): Promise<OpenedManifest> {
  const header = new HeaderReader(input);
  try {
    await checkMagic(header);
    const manifestOffset = header.offset;
    const manifestLine = await readHeaderLine(header, MAX_MANIFEST_LINE_BYTES, 'manifest');
    const checksumOffset = header.offset;
    const checksumLine = (await readHeaderLine(header, CHECKSUM_LINE_BYTES, 'manifest checksum')).toString('latin1');
    if (!CHECKSUM_LINE.test(checksumLine)) throw manifestCorrupt('the third line is not sha256:<64 lowercase hex digits>', { offset: checksumOffset });
    if (checksumLine.slice(CHECKSUM_PREFIX.length) !== sha256Hex(manifestLine)) {
      throw manifestCorrupt("the manifest line's sha256 does not match the checksum line", { offset: manifestOffset });
    }
    const manifest = parseManifest(manifestLine, manifestOffset);
    return { manifest, payload: header.rest(), payloadOffset: header.offset };
  } catch (error) {
    input.destroy();
    throw error;
  }
}

async function checkMagic(header: HeaderReader): Promise<void> {
  while (header.buffered.length < MAGIC_LINE.length) {
    const seen = header.buffered;
    const differs = seen.findIndex((byte, i) => byte !== MAGIC_LINE[i]);
    if (differs !== -1) throw notABackup(`the file does not start with ${MAGIC_LINE.toString().trim()}`, differs);
    if (!(await header.fill())) {
      throw seen.length === 0 ? notABackup('the file is empty', 0) : truncated(`the file ends at byte ${seen.length}, inside its first line`, { offset: seen.length });
    }
  }
  const differs = MAGIC_LINE.findIndex((byte, i) => byte !== header.buffered[i]);
  if (differs !== -1) throw notABackup(`the file does not start with ${MAGIC_LINE.toString().trim()}`, differs);
  header.consume(MAGIC_LINE.length);
}

/** One header line without its '\n', of at most `maxBytes` including the '\n'. */
async function readHeaderLine(header: HeaderReader, maxBytes: number, what: string): Promise<Buffer> {
  for (;;) {
    const end = header.buffered.indexOf(0x0a);
    if (end !== -1 && end < maxBytes) return header.consume(end + 1).subarray(0, end);
    if (end !== -1 || header.buffered.length >= maxBytes) throw manifestCorrupt(`the ${what} line is longer than ${maxBytes} bytes`, { offset: header.offset });
    if (!(await header.fill())) {
      throw truncated(`the file ends at byte ${header.offset + header.buffered.length}, inside the ${what} line`, { offset: header.offset + header.buffered.length });
    }
  }
}

function parseManifest(line: Buffer, offset: number): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(line.toString('utf8'));
  } catch (error) {
    throw manifestCorrupt(`the manifest is not JSON (${(error as Error).message})`, { offset });
  }
  const formatVersion = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof formatVersion === 'number' && formatVersion > BACKUP_FORMAT_VERSION) {
    throw unsupportedVersion(`format version ${formatVersion}; this app reads up to ${BACKUP_FORMAT_VERSION}`, { formatVersion, supported: BACKUP_FORMAT_VERSION });
  }
  const parsed = backupManifestSchema.safeParse(json);
  if (!parsed.success) throw manifestCorrupt('the manifest does not match its schema', { offset, issues: zodIssues(parsed.error) });
  for (const [type, version] of Object.entries(parsed.data.eventSchemaVersions)) {
    const supported = isEventType(type) ? eventSchemaVersions[type] : 0;
    if (version > supported) {
      throw unsupportedVersion(`events of type ${type} are at schema version ${version}; this app knows ${supported ? `up to ${supported}` : 'no such type'}`, {
        eventType: type,
        schemaVersion: version,
        supported,
      });
    }
  }
  return parsed.data;
}
