import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { eventSchemaVersions } from '../../../domain/events';
import { BACKUP_FORMAT_VERSION, BackupManifest, RecordCounts } from '../backup-manifest';
import { BackupRecord } from '../backup-record';
import { encodeBackupHeader } from '../backup-header';
import { RecordSequence } from '../record-sequence';
import { INFO } from './generated-state';

/**
 * A gzip backup file built by hand from NDJSON lines, bypassing the writer's checks, with every
 * checksum right: the manifest counts and state hash are computed from the lines that parse as
 * records (or taken from `manifest` overrides), so a test can plant exactly one fault.
 */
export function handMadeBackup(lines: string[], overrides: { manifest?: Record<string, unknown>; counts?: Partial<RecordCounts> } = {}): Buffer {
  const sequence = new RecordSequence(true);
  for (const line of lines) {
    try {
      sequence.add(JSON.parse(line) as BackupRecord);
    } catch {
      // not a record: counted by no kind
    }
  }
  const raw = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
  const payload = gzipSync(raw);
  const manifest = {
    format: 'globe-vault-backup',
    formatVersion: BACKUP_FORMAT_VERSION,
    ...INFO,
    eventSchemaVersions: { ...eventSchemaVersions },
    includesHistory: sequence.counts.events > 0,
    counts: { ...sequence.counts, ...overrides.counts },
    stateHash: sequence.stateHash(),
    payload: { compression: 'gzip', encryption: null, bytes: payload.length, rawBytes: raw.length, sha256: createHash('sha256').update(payload).digest('hex') },
    ...overrides.manifest,
  } as BackupManifest;
  return Buffer.concat([encodeBackupHeader(manifest), payload]);
}

/** Replaces a file's manifest (re-encoding the header with a correct checksum) and keeps its payload. */
export function withManifest(file: Buffer, change: (manifest: BackupManifest) => unknown): Buffer {
  const first = file.indexOf(0x0a);
  const second = file.indexOf(0x0a, first + 1);
  const third = file.indexOf(0x0a, second + 1);
  const manifest = JSON.parse(file.subarray(first + 1, second).toString('utf8')) as BackupManifest;
  return Buffer.concat([encodeBackupHeader(change(manifest) as BackupManifest), file.subarray(third + 1)]);
}

/**
 * A file with `payload` as its stored bytes and a manifest whose `bytes` and `sha256` name them
 * (so every checksum holds), `change` applied after: a crafted file whose only fault is what the
 * payload holds or what `change` says about it.
 */
export function withPayload(file: Buffer, payload: Buffer, change: (manifest: BackupManifest) => BackupManifest = (m) => m): Buffer {
  const sealed = withManifest(file, (m) => change({ ...m, payload: { ...m.payload, bytes: payload.length, sha256: createHash('sha256').update(payload).digest('hex') } }));
  return Buffer.concat([sealed.subarray(0, payloadOffset(sealed)), payload]);
}

/** Where the payload starts in a file. */
export function payloadOffset(file: Buffer): number {
  const first = file.indexOf(0x0a);
  const second = file.indexOf(0x0a, first + 1);
  return file.indexOf(0x0a, second + 1) + 1;
}
