import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decodeToUtf8, ImportEncoding, lineAt, NotUtf8Error } from './text-encoding';

/** Runs `chunks` through the decoder; the UTF-8 bytes it handed on, or the error it failed with. */
async function decode(chunks: Buffer[], encoding: ImportEncoding = 'utf-8'): Promise<Buffer | unknown> {
  const out: Buffer[] = [];
  try {
    await pipeline(Readable.from(chunks, { objectMode: false }), decodeToUtf8(encoding), async function* (source) {
      for await (const chunk of source) out.push(chunk as Buffer);
    });
  } catch (error) {
    return error;
  }
  return Buffer.concat(out);
}

/** `bytes` cut at the given offsets. */
const cut = (bytes: Buffer, at: number[]) => {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...points].map((from, i) => bytes.subarray(from, points[i] ?? bytes.length)).filter((c) => c.length > 0);
};

/** The 1-based line of `bytes` holding byte `offset`. */
const lineOf = (bytes: Buffer, offset: number) => bytes.subarray(0, offset).filter((b) => b === 0x0a).length + 1;

describe('decodeToUtf8', () => {
  it('hands valid UTF-8 on unchanged, however it is cut, even inside a character', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), async (text, at) => {
        const bytes = Buffer.from(text, 'utf8');
        const out = await decode(cut(bytes, at));
        expect(Buffer.isBuffer(out) && out.equals(bytes)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses bytes that are not UTF-8 with IMPORT.ENCODING on their line, however the file is cut', async () => {
    // a lone lead byte followed by an ASCII byte or the end of the file, a stray continuation, a surrogate, an overlong form
    const bad = [[0xfc], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80]];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 12 }).map((l) => l.replace(/\n/g, '')), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.constantFrom(...bad),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (lines, which, badBytes, at) => {
          const line = which % lines.length;
          const parts = lines.map((l, i) =>
            Buffer.concat([Buffer.from(l, 'utf8'), i === line ? Buffer.from(badBytes) : Buffer.alloc(0), Buffer.from(i < lines.length - 1 ? '\n' : '')]),
          );
          const file = Buffer.concat(parts);
          const error = await decode(cut(file, at));
          expect(error).toBeInstanceOf(NotUtf8Error);
          expect(error).toMatchObject({ code: 'IMPORT.ENCODING', status: 400 });
          expect(lineOf(file, (error as NotUtf8Error).offset)).toBe(line + 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('locates the issue\'s "Z\\xfcrich" on line 3 of its file', async () => {
    const file = Buffer.from('name,lat,lng\nBern,46.9,7.4\nZ\xfcrich,47.4,8.5\n', 'latin1');
    const error = (await decode([file])) as NotUtf8Error;
    const dir = mkdtempSync(join(tmpdir(), 'gv-encoding-'));
    try {
      writeFileSync(join(dir, 'zurich.csv'), file);
      expect(await lineAt(join(dir, 'zurich.csv'), error.offset)).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['latin1', 'windows-1252'] as const)('reads %s as windows-1252, re-encoded as UTF-8', async (encoding) => {
    const file = Buffer.from([0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x20, 0x80, 0x0a]);
    const out = await decode(cut(file, [1, 2]), encoding);
    expect((out as Buffer).toString('utf8')).toBe('Zürich €\n');
  });
});
