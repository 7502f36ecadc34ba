import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { PayloadOpener, sealStream } from './payload-cipher';

describe('payload cipher', () => {
  const key = { key: randomBytes(32), iv: randomBytes(12) };
  const plaintext = randomBytes(5000);
  const seal = async () => buffer(Readable.from([plaintext.subarray(0, 1234), plaintext.subarray(1234)]).pipe(sealStream(key)));
  const open = (sealed: Buffer, chunk: number) => {
    const opener = new PayloadOpener(key);
    const parts: Buffer[] = [];
    for (let i = 0; i < sealed.length; i += chunk) parts.push(opener.update(sealed.subarray(i, i + chunk)));
    return { plain: Buffer.concat(parts), authentic: opener.final() };
  };

  it('appends the 16-byte tag and opens in chunks of any size, holding the tag back', async () => {
    const sealed = await seal();
    expect(sealed.length).toBe(plaintext.length + 16);
    for (const chunk of [1, 7, 16, 17, 4096, sealed.length]) expect(open(sealed, chunk)).toEqual({ plain: plaintext, authentic: true });
  });

  it('is not authentic when any byte, the tag included, differs, or when shorter than a tag', async () => {
    const sealed = await seal();
    for (const at of [0, 2500, sealed.length - 17, sealed.length - 16, sealed.length - 1]) {
      const damaged = Buffer.from(sealed);
      damaged[at] ^= 0x80;
      expect(open(damaged, 1000).authentic).toBe(false);
    }
    expect(open(sealed.subarray(0, 10), 3).authentic).toBe(false);
  });
});
