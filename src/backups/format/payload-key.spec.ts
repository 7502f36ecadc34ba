import { newPayloadKey, openPayloadKey } from './payload-key';

describe('payload key', () => {
  it('opens with the same passphrase, however its accents are composed, and not with another', async () => {
    const { encryption, key } = await newPayloadKey('Grüße aus Köln', 2 ** 10);
    expect(encryption).toMatchObject({ algorithm: 'aes-256-gcm', kdf: 'scrypt', N: 2 ** 10, r: 8, p: 1 });
    expect(Buffer.from(encryption.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(encryption.iv, 'base64')).toHaveLength(12);
    expect(await openPayloadKey('Grüße aus Köln'.normalize('NFD'), encryption)).toEqual(key);
    expect(await openPayloadKey('Grüsse aus Köln', encryption)).toBeNull();
  });

  it('refuses a cost outside what readers accept', async () => {
    await expect(newPayloadKey('x', 3000)).rejects.toThrow(/power of two/);
    await expect(newPayloadKey('x', 2 ** 18)).rejects.toThrow(/bounds/);
  });
});
