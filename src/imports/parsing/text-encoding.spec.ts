import fc from 'fast-check';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decodeToUtf8, ImportEncoding } from './text-encoding';

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

describe('decodeToUtf8', () => {
  it('hands valid UTF-8 on unchanged, however it is cut, even inside a character', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), async (text, at) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(await decode(cut(bytes, at))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses bytes that are not UTF-8 with IMPORT.ENCODING and their line, however the file is cut', async () => {
    const bad = [[0xfc], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xed, 0xa0, 0x80], [0xc0, 0xaf]];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 12 }).map((l) => l.replace(/\n/g, '')), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.constantFrom(...bad),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (lines, which, badBytes, at) => {
          const line = which % lines.length;
          const parts = lines.map((l, i) => Buffer.concat([Buffer.from(l, 'utf8'), i === line ? Buffer.from(badBytes) : Buffer.alloc(0), Buffer.from(i < lines.length - 1 ? '\n' : '')]));
          // a lone lead byte followed by an ASCII byte, or the end of the file, is never valid
          const error = await decode(cut(Buffer.concat(parts), at));
          expect(error).toMatchObject({ code: 'IMPORT.ENCODING', status: 400, details: { line: line + 1, encoding: 'UTF-8' } });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the line for the issue\'s "Z\\xfcrich"', async () => {
    const file = Buffer.from('name,lat,lng\nBern,46.9,7.4\nZ\xfcrich,47.4,8.5\n', 'latin1');
    expect(await decode([file])).toMatchObject({ code: 'IMPORT.ENCODING', details: { line: 3 }, message: expect.stringContaining('Line 3') });
  });

  it.each(['latin1', 'windows-1252'] as const)('reads %s as windows-1252, re-encoded as UTF-8', async (encoding) => {
    const file = Buffer.from([0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x20, 0x80, 0x0a]);
    const out = await decode(cut(file, [1, 2]), encoding);
    expect((out as Buffer).toString('utf8')).toBe('Zürich €\n');
  });
});
