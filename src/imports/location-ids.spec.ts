import { v7 as uuidv7, validate, version } from 'uuid';
import { LocationIds } from './location-ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('LocationIds', () => {
  it('mints valid, unique, strictly increasing UUIDv7s across many prefixes', () => {
    const ids = new LocationIds(uuidv7);
    const minted = Array.from({ length: 25_000 }, ids.next);
    for (const id of minted) {
      expect(id).toMatch(UUID_V7);
      expect(validate(id) && version(id)).toBe(7);
    }
    for (let i = 1; i < minted.length; i++) expect(minted[i] > minted[i - 1]).toBe(true);
  });

  it('carries the time its prefix was minted', () => {
    const before = Date.now();
    const id = new LocationIds(uuidv7).next();
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it('keeps counting when a fresh prefix equals the current one, so ids never repeat', () => {
    const same = '01890a5d-ac96-774b-bcce-b302099a8057';
    const ids = new LocationIds(() => same);
    const minted = Array.from({ length: 3000 }, ids.next);
    for (let i = 1; i < minted.length; i++) expect(BigInt(`0x${minted[i].slice(24)}`)).toBe(BigInt(`0x${minted[i - 1].slice(24)}`) + 1n);
  });

  it('takes a fresh prefix every 1,000 ids', () => {
    let n = 0;
    const ids = new LocationIds(() => `01890a5d-ac96-774b-b${(n++).toString(16).padStart(3, '0')}-b302099a8057`);
    const minted = Array.from({ length: 2001 }, ids.next);
    expect(new Set(minted.map((id) => id.slice(0, 24))).size).toBe(3);
    expect(minted[999].slice(0, 24)).toBe(minted[0].slice(0, 24));
    expect(minted[1000].slice(0, 24)).not.toBe(minted[0].slice(0, 24));
  });

  it('counts across the 24-bit boundary of its counter without skipping or repeating', () => {
    const ids = new LocationIds(() => '01890a5d-ac96-774b-bcce-b302099a8057', () => 2 ** 24 - 2);
    expect(Array.from({ length: 4 }, ids.next).map((id) => id.slice(24))).toEqual(['000000fffffe', '000000ffffff', '000001000000', '000001000001']);
  });
});
