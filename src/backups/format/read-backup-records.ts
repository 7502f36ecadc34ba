import { Readable } from 'node:stream';
import { BackupManifest } from './backup-manifest';
import { BackupRecord } from './backup-record';
import { keyMissing, passphraseRequired, wrongKey, wrongPassphrase } from './backup-format-errors';
import { PayloadScan } from './payload-scan';
import { openPayloadKey, openServerKeyedPayloadKey, PayloadKey } from './payload-key';
import { readBackupManifest } from './read-backup-manifest';
import { ServerKey } from '../../config/server-keys';

/** What may open an encrypted payload: the passphrase it was written with, or the server key its manifest names. */
export interface PayloadSecrets {
  passphrase?: string;
  /** The server's keys; the one whose id the manifest names is used (a passphrase is then not needed). */
  keys?: readonly ServerKey[];
}

export interface ReadBackupOptions extends PayloadSecrets {
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
 * passphrase or the server key it names is checked against the manifest's key check
 * (BACKUP.PASSPHRASE_REQUIRED, BACKUP.WRONG_PASSPHRASE, BACKUP.KEY_MISSING, BACKUP.WRONG_KEY) before this resolves and before any byte is decrypted.
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
    key = await unlock(manifest, options);
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

/** The payload's key; null for a payload that is not encrypted. A server-keyed payload ignores any passphrase. */
export async function unlock(manifest: BackupManifest, secrets: PayloadSecrets): Promise<PayloadKey | null> {
  const encryption = manifest.payload.encryption;
  if (!encryption) return null;
  if (encryption.kdf === 'hkdf-sha256') {
    const serverKey = secrets.keys?.find((k) => k.id === encryption.keyId);
    if (!serverKey) throw keyMissing(encryption.keyId);
    const key = openServerKeyedPayloadKey(serverKey, encryption);
    if (!key) throw wrongKey(encryption.keyId);
    return key;
  }
  if (secrets.passphrase === undefined) throw passphraseRequired();
  const key = await openPayloadKey(secrets.passphrase, encryption);
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
