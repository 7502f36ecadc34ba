import { AppError } from '../../common/app-error';
import { BackupManifest, RecordCounts } from './backup-manifest';
import { authFailed, checksumMismatch, countMismatch, stateHashMismatch, truncated } from './backup-format-errors';
import { StoredPayload } from './payload-decoder';

export type Section = 'state' | 'history';

export interface PayloadCheck {
  name: string;
  ok: boolean;
  detail?: string;
  /** Set when not ok: what a reader throws for it. */
  error?: AppError;
}

/** What decoding the payload found; absent when the payload could not be decrypted. */
export interface ContentFacts {
  /** Decoded to the end without a decoding error (a reader that stopped at a bad record did not). */
  complete: boolean;
  decodeError: AppError | null;
  invalid: Record<Section, { first: AppError | null; count: number }>;
  /** False when events were skipped unparsed. */
  historyChecked: boolean;
  /** False when the state lines were skipped unparsed (their records, counts and hash are then not checked). */
  stateChecked: boolean;
  counts: RecordCounts;
  rawBytes: number;
  /** Null unless complete. */
  stateHash: string | null;
}

const STATE_KINDS = ['datasets', 'locations', 'settings', 'configurations'] as const;

/**
 * The payload's checks, in the order a reader reports the first failure: the stored bytes (size,
 * sha256, GCM tag) before anything decoded from them, since damage explains every later symptom;
 * then decoding, the records, and what the manifest says about them. Checks that need the whole
 * content are left out when decoding did not reach the end.
 */
export function payloadChecks(manifest: BackupManifest, payloadOffset: number, stored: StoredPayload, content: ContentFacts | null): PayloadCheck[] {
  const expected = manifest.payload;
  const checks = [
    check('payload.size', sizeFailure(expected.bytes, stored.bytes, payloadOffset), `${stored.bytes} bytes`),
    check(
      'payload.sha256',
      stored.sha256 === expected.sha256
        ? null
        : checksumMismatch(`the sha256 of its bytes (from byte ${payloadOffset} to the end) is ${stored.sha256}, the manifest says ${expected.sha256}`, {
            offset: payloadOffset,
            expected: expected.sha256,
            actual: stored.sha256,
          }),
    ),
  ];
  if (stored.authentic !== null) checks.push(check('payload.auth', stored.authentic ? null : authFailed(payloadOffset + stored.bytes)));
  if (!content) return checks;
  if (content.decodeError || content.complete) checks.push(check('payload.decode', content.decodeError, `${content.rawBytes} bytes of NDJSON`));
  if (content.stateChecked) checks.push(recordsCheck('state', content));
  if (content.historyChecked && (manifest.includesHistory || content.invalid.history.count)) checks.push(recordsCheck('history', content));
  if (!content.complete) return checks;
  if (content.stateChecked) checks.push(countsCheck('counts.state', STATE_KINDS, manifest.counts, content.counts));
  if (manifest.includesHistory) checks.push(countsCheck('counts.history', ['events'], manifest.counts, content.counts));
  checks.push(
    check(
      'payload.rawBytes',
      content.rawBytes === expected.rawBytes
        ? null
        : countMismatch(`the payload decompresses to ${content.rawBytes} bytes, the manifest says ${expected.rawBytes}`, { expected: expected.rawBytes, actual: content.rawBytes }),
    ),
  );
  if (content.stateChecked) checks.push(check('stateHash', content.stateHash === manifest.stateHash ? null : stateHashMismatch(manifest.stateHash, content.stateHash ?? '')));
  return checks;
}

function check(name: string, failure: AppError | null, detail?: string): PayloadCheck {
  if (failure) return { name, ok: false, detail: failure.message, error: failure };
  return detail === undefined ? { name, ok: true } : { name, ok: true, detail };
}

function sizeFailure(expected: number, actual: number, offset: number): AppError | null {
  const details = { offset, expected, actual };
  if (actual < expected) return truncated(`the payload has ${actual} of its ${expected} bytes (the file ends at byte ${offset + actual})`, details);
  if (actual > expected) return checksumMismatch(`the payload has ${actual} bytes, the manifest says ${expected}`, details);
  return null;
}

function recordsCheck(section: Section, content: ContentFacts): PayloadCheck {
  const { first, count } = content.invalid[section];
  const name = `records.${section}`;
  if (!first) return { name, ok: true };
  return { name, ok: false, detail: `${count} invalid ${section} record${count === 1 ? '' : 's'}; first: ${first.message}`, error: first };
}

function countsCheck(name: string, kinds: readonly (keyof RecordCounts)[], expected: RecordCounts, actual: RecordCounts): PayloadCheck {
  for (const kind of kinds) {
    if (actual[kind] === expected[kind]) continue;
    const details = { kind, expected: expected[kind], actual: actual[kind] };
    const message = `the payload holds ${actual[kind]} valid ${kind} records, the manifest says ${expected[kind]}`;
    return check(name, actual[kind] < expected[kind] ? truncated(message, details) : countMismatch(message, details));
  }
  return { name, ok: true, detail: kinds.map((k) => `${actual[k]} ${k}`).join(', ') };
}
