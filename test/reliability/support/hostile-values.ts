import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { encodeBackupHeader } from '../../../src/backups/format/backup-header';
import { manifestOf, payloadOffset } from '../../backups/backup-helpers';

/**
 * The values an attacker or a careless client sends, as fast-check arbitraries: numbers JSON cannot
 * carry, prototype keys, traversal in ids, control and unpaired-surrogate characters, sizes at and
 * past every limit, deep nesting, compressed bombs, damaged backup files.
 */

const MIB = 1024 * 1024;

/** Built once: a 10 MB string (past MAX_JSON_BYTES, past any record limit). */
let huge: string | undefined;
export const tenMegabytes = (): string => (huge ??= 'x'.repeat(10 * MIB));

/** Built once: 1 KB of gzip that inflates to 64 MiB (for Content-Encoding: gzip). */
let bomb: Buffer | undefined;
export const gzipBomb = (): Buffer => (bomb ??= gzipSync(Buffer.alloc(64 * MIB, 0x20)));

/** A native backup whose manifest is right but whose gzip payload inflates to 64 MiB of newlines (issue #13: it ends the process). */
export function gzipBombBackup(real: Buffer): Buffer {
  const payload = gzipSync(Buffer.alloc(64 * MIB, 0x0a));
  const manifest = manifestOf(real);
  manifest.payload = { ...manifest.payload, compression: 'gzip', encryption: null, bytes: payload.length, sha256: createHash('sha256').update(payload).digest('hex') };
  return Buffer.concat([encodeBackupHeader(manifest), payload]);
}

export const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '__proto__',
    'constructor',
    'prototype',
    '../../../../etc/passwd',
    '..\\..\\windows\\win.ini',
    '\u0000',
    '\ud800',
    '\uffff',
    '💥'.repeat(300),
    "'; DROP TABLE events; --",
    '<script>alert(1)</script>',
    '=cmd|"/c calc"!A1',
    '%s%s%s%n',
    'x'.repeat(5000),
    'x'.repeat(300_000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

export const hostileNumber = fc.oneof(
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 1e308, -1e308, 5e-324, -0, 0, -1, 181, -91, 2 ** 31, 2 ** 63),
  fc.double(),
  fc.integer(),
);

/** Any JSON value, hostile strings and numbers included, at modest depth. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.constantFrom(null, true, false),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON text nested `depth` levels deep (arrays or objects), around `inner`. */
export function nestedText(depth: number, objects: boolean, inner = '1'): string {
  return objects ? '{"a":'.repeat(depth) + inner + '}'.repeat(depth) : '['.repeat(depth) + inner + ']'.repeat(depth);
}

/** JSON text of `body` with `key` set to raw JSON text (NaN, a deep nest, a duplicate key …). */
export function withRawField(body: unknown, key: string, raw: string): string {
  const base = body && typeof body === 'object' && !Array.isArray(body) ? JSON.stringify(body).slice(1, -1) : '';
  return `{${base}${base ? ',' : ''}${JSON.stringify(key)}:${raw}}`;
}

/** `file` with `bits` random bits flipped (positions from `rng`). */
export function flipBits(file: Buffer, bits: number, rng: () => number): Buffer {
  const out = Buffer.from(file);
  for (let i = 0; i < bits; i++) {
    const at = Math.floor(rng() * out.length);
    out[at] ^= 1 << Math.floor(rng() * 8);
  }
  return out;
}

/** `file` with bits flipped only inside its payload (past the header), where the checksums must catch them. */
export function flipPayloadBits(file: Buffer, bits: number, rng: () => number): Buffer {
  const start = payloadOffset(file);
  const out = Buffer.from(file);
  for (let i = 0; i < bits; i++) {
    const at = start + Math.floor(rng() * (out.length - start));
    out[at] ^= 1 << Math.floor(rng() * 8);
  }
  return out;
}

/** Path-parameter values: traversal (plain and encoded), prototype names, sizes, encodings. */
export const hostileId = fc.oneof(
  fc.constantFrom(
    '..',
    '..%2F..%2F..%2Fetc%2Fpasswd',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '..%5c..%5cwindows',
    '%00',
    '%2500',
    '__proto__',
    'constructor',
    'prototype',
    'NaN',
    '-1',
    '0',
    '%F0%9F%92%A5',
    '%ff%fe',
    '%',
    '%zz',
    'a'.repeat(300),
    'a'.repeat(8000),
    '.gvbk',
    'globe-vault-20260101T000000-..%2F..%2Fevents.sqlite',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);

/** Query strings: unknown keys, prototype keys, repeated keys, bad numbers and dates, a size past the header limit. */
export const hostileQuery = fc.oneof(
  fc.constantFrom(
    '__proto__[polluted]=1',
    'constructor[prototype][polluted]=1',
    'limit=NaN',
    'limit=1e309',
    'limit=-1',
    'limit=99999999999999999999',
    'limit=1&limit=2',
    'at=not-a-date',
    'at=9999-99-99T99:99:99Z',
    'position=-5',
    'bbox=NaN,NaN,1,1',
    'bbox=1,2',
    'cursor=%00%00',
    'after=' + 'A'.repeat(5000),
    'type=NotAnEvent',
    'format=../../etc/passwd',
    'datasetId[]=a&datasetId[]=b',
    'q=' + '%25'.repeat(3000),
    'x=' + 'y'.repeat(100_000),
  ),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(hostileString, fc.string({ maxLength: 12 })), { maxKeys: 4 }).map((q) => new URLSearchParams(q as Record<string, string>).toString()),
);

export const hostileContentType = fc.constantFrom(
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/octet-stream',
  'image/png',
  '*/*',
  'application/json, text/csv',
  'x'.repeat(2000),
);
