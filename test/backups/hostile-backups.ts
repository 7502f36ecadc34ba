import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { seededRandom } from '../../src/common/seeded-random';
import { BackupManifest } from '../../src/backups/format/backup-manifest';
import { asAsync, INFO, largeState } from '../../src/backups/format/testing/generated-state';
import { payloadOffset, withManifest, withPayload } from '../../src/backups/format/testing/hand-made-backup';
import { writeBackupFile } from '../../src/backups/format/write-backup-file';

/**
 * Files an attacker or a broken disk hands to POST /api/backups/upload, each with the answer it
 * must get. Built from a sound backup written by the app's own writer, so that every fault is the
 * only one: checksums are recomputed wherever the fault is not meant to be a checksum's.
 */

export interface HostileFile {
  name: string;
  bytes: Buffer;
  /** `${status} ${code}` answers accepted for it. */
  expected: string[];
}

/** A sound gzip backup of `locations` generated locations with a short history, as the app writes it. */
export async function soundBackup(locations: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'gv-hostile-'));
  try {
    const path = join(dir, 'sound.gvbk');
    await writeBackupFile(asAsync(largeState(locations, { events: 5 })), { ...INFO, includesHistory: true }, path, { compression: 'gzip', tmpDir: dir });
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MIB = 1024 * 1024;
const payloadOf = (file: Buffer) => file.subarray(payloadOffset(file));
const declare = (payload: Partial<BackupManifest['payload']>) => (m: BackupManifest): BackupManifest => ({ ...m, payload: { ...m.payload, ...payload } });
const refused = (...codes: string[]) => codes.map((c) => `422 BACKUP.${c}`);

/** Crafted files: bombs against the declared sizes, truncations, lying manifests, absurd counts, garbage payloads. */
export function craftedFiles(sound: Buffer): HostileFile[] {
  const payload = payloadOf(sound);
  const newlines = Buffer.alloc(64 * MIB, 0x0a);
  const gzipBomb = gzipSync(newlines, { level: 9 });
  const brotliBomb = brotliCompressSync(newlines);
  const random = seededRandom(7);
  const garbage = Buffer.from(Array.from({ length: payload.length }, () => Math.floor(random() * 256)));
  const rawBytes = (JSON.parse(sound.subarray(sound.indexOf(0x0a) + 1, sound.indexOf(0x0a, sound.indexOf(0x0a) + 1)).toString()) as BackupManifest).payload.rawBytes;
  const absurd = { datasets: Number.MAX_SAFE_INTEGER, locations: 1e15, configurations: 1e12, events: 1e15 };
  return [
    { name: `gzip bomb: 64 MiB of newlines in ${gzipBomb.length} bytes, declared 100`, bytes: withPayload(sound, gzipBomb, declare({ rawBytes: 100 })), expected: refused('COUNT_MISMATCH') },
    { name: 'gzip bomb declared at its full 64 MiB (every line invalid)', bytes: withPayload(sound, gzipBomb, declare({ rawBytes: newlines.length })), expected: refused('RECORD_INVALID') },
    { name: 'gzip bomb declared at 64 MiB with absurd counts', bytes: withPayload(sound, gzipBomb, (m) => ({ ...declare({ rawBytes: newlines.length })(m), counts: { ...m.counts, ...absurd } })), expected: refused('RECORD_INVALID') },
    { name: `brotli bomb: 64 MiB of newlines in ${brotliBomb.length} bytes, declared 100`, bytes: withPayload(sound, brotliBomb, declare({ compression: 'brotli', rawBytes: 100 })), expected: refused('COUNT_MISMATCH') },
    { name: 'sound payload declaring half its NDJSON', bytes: withManifest(sound, declare({ rawBytes: Math.floor(rawBytes / 2) })), expected: refused('COUNT_MISMATCH') },
    { name: 'sound payload declaring one NDJSON byte more', bytes: withManifest(sound, declare({ rawBytes: rawBytes + 1 })), expected: refused('COUNT_MISMATCH') },
    { name: 'payload declared one byte longer', bytes: withManifest(sound, declare({ bytes: payload.length + 1 })), expected: refused('TRUNCATED') },
    { name: 'payload declared one byte shorter', bytes: withManifest(sound, declare({ bytes: payload.length - 1 })), expected: refused('CHECKSUM_MISMATCH') },
    { name: 'payload declared with another sha256', bytes: withManifest(sound, declare({ sha256: '0'.repeat(64) })), expected: refused('CHECKSUM_MISMATCH') },
    { name: 'absurd counts', bytes: withManifest(sound, (m) => ({ ...m, counts: { ...m.counts, ...absurd } })), expected: refused('TRUNCATED') },
    { name: 'negative counts', bytes: withManifest(sound, (m) => ({ ...m, counts: { ...m.counts, locations: -1 } })), expected: refused('MANIFEST_CORRUPT') },
    { name: 'counts past 2^53', bytes: withManifest(sound, (m) => ({ ...m, counts: { ...m.counts, locations: 1e300 } })), expected: refused('MANIFEST_CORRUPT') },
    { name: 'absurd declared sizes', bytes: withManifest(sound, declare({ bytes: 1e15, rawBytes: 1e15 })), expected: refused('TRUNCATED') },
    { name: 'truncated inside the payload, its manifest unchanged', bytes: sound.subarray(0, payloadOffset(sound) + Math.floor(payload.length / 3)), expected: refused('TRUNCATED') },
    { name: 'truncated payload with a manifest that matches the cut (the gzip stream ends early)', bytes: withPayload(sound, payload.subarray(0, Math.floor(payload.length / 3))), expected: refused('RECORD_INVALID') },
    { name: 'truncated inside the manifest line', bytes: sound.subarray(0, 100), expected: refused('TRUNCATED') },
    { name: 'only the header, no payload', bytes: sound.subarray(0, payloadOffset(sound)), expected: refused('TRUNCATED') },
    { name: 'garbage after a valid manifest (checksums right)', bytes: withPayload(sound, garbage), expected: refused('RECORD_INVALID') },
    { name: 'garbage after a valid manifest (checksums of the sound payload)', bytes: Buffer.concat([sound.subarray(0, payloadOffset(sound)), garbage]), expected: refused('CHECKSUM_MISMATCH') },
    { name: 'garbage declared as brotli', bytes: withPayload(sound, garbage, declare({ compression: 'brotli' })), expected: refused('RECORD_INVALID') },
    { name: 'gzip of plain garbage (every line invalid)', bytes: withPayload(sound, gzipSync(garbage), declare({ rawBytes: garbage.length })), expected: refused('RECORD_INVALID') },
    { name: 'the sound payload declared uncompressed', bytes: withManifest(sound, declare({ compression: 'none' })), expected: refused('COUNT_MISMATCH', 'RECORD_INVALID') },
    { name: 'the sound file with bytes after its payload', bytes: Buffer.concat([sound, Buffer.from('\n{"t":"location"}\n')]), expected: refused('CHECKSUM_MISMATCH') },
  ];
}

/**
 * `count` files, each the sound one with one bit flipped: every header boundary, then positions
 * drawn with `seed`, two thirds of them inside the payload (where the preparation thread and the
 * verification disagree longest about when to stop).
 */
export function bitFlips(sound: Buffer, count: number, seed: number): HostileFile[] {
  const at = payloadOffset(sound);
  const manifestEnd = sound.indexOf(0x0a, 19);
  const random = seededRandom(seed);
  const positions = new Set([0, 18, 19, manifestEnd - 1, manifestEnd, manifestEnd + 8, at - 1, at, at + 1, at + 10, sound.length - 9, sound.length - 1]);
  while (positions.size < count) {
    positions.add(random() < 2 / 3 ? at + Math.floor(random() * (sound.length - at)) : Math.floor(random() * at));
  }
  return [...positions].slice(0, count).map((i) => {
    const bit = Math.floor(random() * 8);
    const bytes = Buffer.from(sound);
    bytes[i] ^= 1 << bit;
    // the first line is how a backup is recognised: a file whose magic is damaged is not one (415)
    const expected = i < 19 ? ['415 BACKUP.UNSUPPORTED_FORMAT'] : i < at ? refused('MANIFEST_CORRUPT', 'TRUNCATED') : refused('CHECKSUM_MISMATCH');
    return { name: `bit ${bit} of byte ${i}${i >= at ? ` (payload byte ${i - at})` : ''}`, bytes, expected };
  });
}
