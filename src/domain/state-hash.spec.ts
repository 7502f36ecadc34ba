import fc from 'fast-check';
import { toLocation } from '../projections/row-mappers';
import { LocationRow, StateHasher, canonicalJson, canonicalLocationJson } from './state-hash';

describe('state hash', () => {
  it('canonicalJson sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('the fast location path writes exactly what the general path writes', () => {
    const row = fc.record({
      id: fc.string({ minLength: 1 }),
      dataset_id: fc.string({ minLength: 1 }),
      name: fc.string(),
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      quantity: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
      properties: fc.dictionary(fc.string(), fc.jsonValue()).map((p) => JSON.stringify(p)),
      created_at: fc.string(),
      updated_at: fc.string(),
    });
    fc.assert(
      fc.property(row, (r: LocationRow) => {
        const general = canonicalJson(toLocation({ ...r, datasetId: r.dataset_id } as never));
        expect(canonicalLocationJson(r)).toBe(general);
      }),
      { numRuns: 500 },
    );
  });

  it('hashes equal states equal whichever path fed them, and differing states differently', () => {
    const r: LocationRow = { id: 'a', dataset_id: 'd', name: 'A', latitude: 1, longitude: 2, quantity: null, properties: '{"x":1}', created_at: 't', updated_at: 't' };
    const fast = new StateHasher();
    fast.locationJson(canonicalLocationJson(r));
    const general = new StateHasher();
    general.location(toLocation({ ...r, datasetId: r.dataset_id } as never));
    const digest = general.digest();
    expect(fast.digest()).toBe(digest);
    const other = new StateHasher();
    other.locationJson(canonicalLocationJson({ ...r, name: 'B' }));
    expect(other.digest()).not.toBe(digest);
  });
});
