import { Readable } from 'node:stream';
import { BackupManifest } from './backup-manifest';
import { manifestCorrupt } from './backup-format-errors';
import { PayloadCheck, payloadChecks } from './payload-checks';
import { decodePayload } from './payload-decoder';
import { HEADER_CHECKS, openOrReport, report, VerifyReport } from './verify-backup';

/**
 * Verifies a copy of a file this process wrote with writeBackupFile (`written`, its manifest)
 * without decoding it again: the writer already decoded its stored bytes back as it wrote them and
 * found exactly the NDJSON it had checked line by line (PayloadRoundTrip), and the manifest's
 * sha256 is of those bytes. So the copy passes when its header holds that manifest (magic, line
 * checksum, equality) and its payload has that size and sha256 (`payload.asWritten`): every byte is
 * covered and any change is found, for one sha256 of the compressed bytes. Never throws for a
 * damaged copy (see verifyBackup).
 */
export async function verifyWrittenCopy(input: Readable, written: BackupManifest): Promise<VerifyReport> {
  const opened = await openOrReport(input);
  if ('checks' in opened) return opened;
  const { manifest, payload, payloadOffset } = opened;
  const checks: PayloadCheck[] = HEADER_CHECKS.map((name) => ({ name, ok: true }));
  if (JSON.stringify(manifest) !== JSON.stringify(written)) {
    payload.destroy();
    const error = manifestCorrupt('the manifest is not the one written', { offset: 0 });
    return report(manifest, [...checks, { name: 'manifest.written', ok: false, detail: error.message, error }], false);
  }
  const stored = await decodePayload(payload, { compression: manifest.payload.compression, key: null, decode: false, rawBytes: manifest.payload.rawBytes }).stored;
  checks.push(...payloadChecks(manifest, payloadOffset, stored, null));
  if (checks.every((c) => c.ok)) checks.push({ name: 'payload.asWritten', ok: true, detail: 'the bytes the writer decoded back to the NDJSON it checked' });
  return report(manifest, checks, true);
}
