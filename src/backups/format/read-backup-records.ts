import { Readable } from 'node:stream';
import { BackupManifest } from './backup-manifest';
import { BackupRecord } from './backup-record';
import { passphraseRequired, wrongPassphrase } from './backup-format-errors';
import { PayloadScan } from './payload-scan';
import { openPayloadKey, PayloadKey } from './payload-key';
import { readBackupManifest } from './read-backup-manifest';

export interface ReadBackupOptions {
  passphrase?: string;
  /** Skip the history: events are counted but neither parsed, validated nor yielded (a state-only restore). */
  skipHistory?: boolean;
  /** Skip the state: its lines are counted but neither parsed, checked nor hashed (see ScanOptions.skipState: only for a file verified in full before). */
  skipState?: boolean;
}

export interface OpenedBackup {
  manifest: BackupManifest;
  /** Iterate once (breaking out early releases the input; never iterating it holds the input open). See openBackup for what is guaranteed when. */
  records: AsyncIterable<BackupRecord>;
}

/**
 * Opens a native backup: the header is read and checked, and for an encrypted payload the
 * passphrase is checked against the manifest's key check (BACKUP.PASSPHRASE_REQUIRED,
 * BACKUP.WRONG_PASSPHRASE) before this resolves and before any byte is decrypted.
 *
 * `records` then streams the payload: each record is validated (BACKUP.RECORD_INVALID with its line)
 * and events are upcast to this app's schema versions. WARNING, the guarantee is only this:
 *  1. Records are yielded BEFORE the whole file is checked. The payload's sha256 and GCM tag, the
 *     counts and the state hash can only be known at the end, so a damaged file can yield records
 *     (even altered ones) and only then throw.
 *  2. The iteration completes normally only if every check passed; otherwise it throws the first
 *     failure in this order: BACKUP.TRUNCATED / CHECKSUM_MISMATCH (stored bytes), AUTH_FAILED (tag),
 *     RECORD_INVALID (decoding, records), TRUNCATED / COUNT_MISMATCH (counts), STATE_HASH_MISMATCH.
 *     A bad record stops the iteration, but the stored bytes are still read to the end first, so
 *     damage is reported as damage, not as the bad record it produced.
 * So a caller that writes what it reads must first read the whole file once with verifyBackup (or
 * drain `records`) and write only from a second pass, or write into a scratch area it discards
 * on failure. Stopping the iteration early releases the input.
 */
export async function openBackup(input: Readable, options: ReadBackupOptions = {}): Promise<OpenedBackup> {
  const { manifest, payload, payloadOffset } = await readBackupManifest(input);
  let key: PayloadKey | null;
  try {
    key = await unlock(manifest, options.passphrase);
  } catch (error) {
    payload.destroy();
    throw error;
  }
  const scan = new PayloadScan(manifest, payload, payloadOffset, { key, skipHistory: options.skipHistory ?? false, skipState: options.skipState });
  return { manifest, records: checkedRecords(scan) };
}

/** The records of a backup; the same guarantees as openBackup's `records`, with the header's errors thrown on the first iteration. */
export async function* readBackupRecords(input: Readable, options: ReadBackupOptions = {}): AsyncGenerator<BackupRecord> {
  const { records } = await openBackup(input, options);
  yield* records;
}

/** The payload's key; null for a payload that is not encrypted. */
export async function unlock(manifest: BackupManifest, passphrase: string | undefined): Promise<PayloadKey | null> {
  const encryption = manifest.payload.encryption;
  if (!encryption) return null;
  if (passphrase === undefined) throw passphraseRequired();
  const key = await openPayloadKey(passphrase, encryption);
  if (!key) throw wrongPassphrase();
  return key;
}

async function* checkedRecords(scan: PayloadScan): AsyncGenerator<BackupRecord> {
  let settled = false;
  try {
    for await (const scanned of scan.records()) {
      if ('invalid' in scanned) break;
      yield scanned.record;
    }
    const failed = (await scan.checks()).find((check) => !check.ok);
    settled = true;
    if (failed) throw failed.error;
  } finally {
    if (!settled) scan.destroy();
  }
}
