import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Compression } from './backup-manifest';
import { decodePayload } from './payload-decoder';

const MIB = 1024 * 1024;
const compress: Record<Compression, (raw: Buffer) => Buffer> = { gzip: (raw) => gzipSync(raw, { level: 9 }), brotli: brotliCompressSync, none: (raw) => raw };

/** A stored payload in 16 KiB chunks, counting how many of them were read. */
function source(bytes: Buffer): { stream: Readable; served: () => number } {
  let served = 0;
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += 16 * 1024, served += 1) yield bytes.subarray(i, i + 16 * 1024);
    })(),
    { objectMode: false },
  );
  return { stream, served: () => served };
}

async function inflated(plaintext: Readable): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of plaintext) bytes += (chunk as Buffer).length;
    return { bytes, error: null };
  } catch (error) {
    return { bytes, error };
  }
}

describe('decodePayload: decoding is bounded by the rawBytes the manifest declares', () => {
  const newlines = Buffer.alloc(64 * MIB, 0x0a);

  it.each(['gzip', 'brotli', 'none'] as const)('%s: a payload that expands past its declared size fails with BACKUP.COUNT_MISMATCH having handed out no more than that, and the stored bytes are still hashed', async (compression) => {
    const stored = compress[compression](compression === 'none' ? newlines.subarray(0, MIB) : newlines);
    const { stream } = source(stored);
    const decoding = decodePayload(stream, { compression, key: null, decode: true, rawBytes: 100_000 });
    const { bytes, error } = await inflated(decoding.plaintext!);
    expect(error).toMatchObject({ code: 'BACKUP.COUNT_MISMATCH', status: 400, message: expect.stringMatching(/more than the manifest's 100000 bytes/) });
    expect(bytes).toBeLessThanOrEqual(100_000);
    decoding.abandon();
    expect(await decoding.stored).toEqual({ bytes: stored.length, sha256: createHash('sha256').update(stored).digest('hex'), authentic: null });
  });

  it('a payload exactly its declared size decodes whole', async () => {
    const raw = Buffer.from('{"t":"settings"}\n'.repeat(10_000));
    const decoding = decodePayload(source(gzipSync(raw)).stream, { compression: 'gzip', key: null, decode: true, rawBytes: raw.length });
    expect(await inflated(decoding.plaintext!)).toEqual({ bytes: raw.length, error: null });
    expect((await decoding.stored).bytes).toBeGreaterThan(0);
  });

  it('a reader that stops early (destroy) ends the reading of the stored bytes too', async () => {
    const stored = gzipSync(newlines);
    const { stream, served } = source(Buffer.concat([stored, Buffer.alloc(4 * MIB)]));
    const decoding = decodePayload(stream, { compression: 'gzip', key: null, decode: true, rawBytes: newlines.length });
    for await (const chunk of decoding.plaintext!) if (chunk) break;
    decoding.destroy();
    await decoding.stored.catch(() => undefined);
    expect(served()).toBeLessThan(10);
  });
});
