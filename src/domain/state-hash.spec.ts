import fc from 'fast-check';
import { toLocation } from '../projections/row-mappers';
import { LocationRow, StateHasher, canonicalJson, canonicalLocationJson, canonicalLocationObjectJson } from './state-hash';

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

  it('the fast path for location objects writes exactly what the general path writes, extra keys included', () => {
    const location = fc.record(
      {
        id: fc.string({ minLength: 1 }),
        datasetId: fc.string({ minLength: 1 }),
        name: fc.string(),
        latitude: fc.double({ noNaN: true }),
        longitude: fc.double({ noNaN: true }),
        quantity: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
        properties: fc.dictionary(fc.string(), fc.jsonValue()),
        created_at: fc.string(),
        updated_at: fc.string(),
      },
      { requiredKeys: ['id', 'datasetId', 'name', 'latitude', 'longitude', 'properties', 'created_at', 'updated_at'] },
    );
    const withExtra = fc.tuple(location, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 })).map(([l, extra]) => ({ ...extra, ...l }));
    const sortedByHand = (v: unknown): string => {
      if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
      if (Array.isArray(v)) return `[${v.map(sortedByHand).join(',')}]`;
      const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${sortedByHand(x)}`).join(',')}}`;
    };
    fc.assert(
      fc.property(fc.oneof(location, withExtra), (l) => {
        expect(canonicalLocationObjectJson(l as never)).toBe(sortedByHand(l));
        expect(canonicalJson(l)).toBe(sortedByHand(l));
      }),
      { numRuns: 1000 },
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
