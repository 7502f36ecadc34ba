import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';
import { checksumMismatch, manifestCorrupt, recordInvalid } from './backup-format-errors';
import { PayloadCheck, payloadChecks } from './payload-checks';
import { decodePayload } from './payload-decoder';
import { readBackupManifest } from './read-backup-manifest';
import { unlock } from './read-backup-records';
import { HEADER_CHECKS, headerFailure, report, VerifyReport } from './verify-backup';
import { WrittenBackup } from './write-backup-file';

/**
 * Verifies a copy of a file this process wrote with writeBackupFile by a byte-exact round trip
 * instead of a second parse: the copy's header must hold the manifest written, its stored bytes
 * must match that manifest (size, sha256, GCM tag), and they must decrypt and decompress to exactly
 * the NDJSON the writer produced and checked line by line (its sha256 and size). Every byte of the
 * copy is covered, so any change is found; what it decodes to was already checked as a reader
 * checks it, so nothing is parsed again. Never throws for a damaged copy (see verifyBackup).
 */
export async function verifyWrittenCopy(input: Readable, written: WrittenBackup, options: { passphrase?: string }): Promise<VerifyReport> {
  let opened;
  try {
    opened = await readBackupManifest(input);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return headerFailure(error);
  }
  const { manifest, payload, payloadOffset } = opened;
  const checks: PayloadCheck[] = HEADER_CHECKS.map((name) => ({ name, ok: true }));
  if (JSON.stringify(manifest) !== JSON.stringify(written.manifest)) {
    payload.destroy();
    const error = manifestCorrupt('the manifest is not the one written', { offset: 0 });
    return report(manifest, [...checks, { name: 'manifest.written', ok: false, detail: error.message, error }], false);
  }
  const key = await unlock(manifest, options.passphrase);
  const decoding = decodePayload(payload, { compression: manifest.payload.compression, key, decode: true });
  const ndjson = { bytes: 0, hash: createHash('sha256'), error: null as AppError | null };
  try {
    for await (const chunk of decoding.plaintext as AsyncIterable<Buffer>) {
      ndjson.bytes += chunk.length;
      if (ndjson.bytes > manifest.payload.rawBytes) break;
      ndjson.hash.update(chunk);
    }
  } catch (error) {
    ndjson.error = recordInvalid(1, '', `the payload does not decompress (${(error as Error).message})`);
  }
  decoding.abandon();
  checks.push(...payloadChecks(manifest, payloadOffset, await decoding.stored, null));
  checks.push(ndjson.error ? { name: 'payload.decode', ok: false, detail: ndjson.error.message, error: ndjson.error } : { name: 'payload.decode', ok: true });
  const sha256 = ndjson.hash.digest('hex');
  if (!ndjson.error) {
    const same = ndjson.bytes === written.manifest.payload.rawBytes && sha256 === written.ndjsonSha256;
    const error = same ? null : checksumMismatch('the payload does not decode to the NDJSON that was written', { expected: written.ndjsonSha256, actual: sha256 });
    checks.push(error ? { name: 'payload.ndjson', ok: false, detail: error.message, error } : { name: 'payload.ndjson', ok: true, detail: `${ndjson.bytes} bytes of NDJSON as written` });
  }
  return report(manifest, checks, true);
}
