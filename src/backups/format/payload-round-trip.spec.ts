import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { Compression } from './backup-manifest';
import { sealStream } from './payload-cipher';
import { compressor } from './payload-compression';
import { PayloadKey } from './payload-key';
import { PayloadRoundTrip } from './payload-round-trip';

const KEY: PayloadKey = { key: Buffer.alloc(32, 7), iv: Buffer.alloc(12, 3) };

/** The stored bytes `compression` (and sealing with `key`) make of `plain`, in the chunks the stream emits. */
async function stored(plain: Buffer[], compression: Compression, key: PayloadKey | null): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _e, done) => (out.push(chunk), done()) });
  await pipeline(Readable.from(plain), compressor(compression), ...(key ? [sealStream(key)] : []), sink);
  return out;
}

async function roundTrip(plain: Buffer[], storedChunks: Buffer[], compression: Compression, key: PayloadKey | null): Promise<string | null> {
  const trip = new PayloadRoundTrip(compression, key);
  // NDJSON goes in ahead of the bytes made from it, as the writer posts them.
  for (const chunk of plain) trip.plain(chunk);
  for (const chunk of storedChunks) trip.stored(chunk);
  return trip.finish();
}

describe('PayloadRoundTrip', () => {
  const plain = Array.from({ length: 40 }, (_, i) => Buffer.from(`{"t":"location","v":{"id":"${i}","name":"é ${'x'.repeat(i * 97)}"}}\n`));

  it.each([
    ['gzip', null],
    ['brotli', null],
    ['none', null],
    ['gzip', KEY],
  ] as [Compression, PayloadKey | null][])('passes when the stored bytes (%s, key %p) decode to the NDJSON, and names any difference', async (compression, key) => {
    const bytes = await stored(plain, compression, key);
    expect(await roundTrip(plain, bytes, compression, key)).toBeNull();
    const other = plain.map((b, i) => (i === 17 ? Buffer.from(b.toString().replace('é', 'e')) : b));
    expect(await roundTrip(other, bytes, compression, key)).toMatch(/does not decode to the NDJSON it was made from/);
    expect(await roundTrip([...plain, Buffer.from('{}\n')], bytes, compression, key)).toMatch(/decodes to \d+ of the \d+ bytes/);
    const flipped = Buffer.concat(bytes);
    flipped[flipped.length - 3] ^= 0x20;
    expect(await roundTrip(plain, [flipped], compression, key)).not.toBeNull();
  });
});
