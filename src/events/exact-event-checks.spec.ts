import fc from 'fast-check';
import { eventSchemas, MAX_LOCATIONS_PER_EVENT } from '../domain/events';
import { backupRecordSchema } from '../backups/format/backup-record';
import { exactEventChecks, isExactLocationRecord } from './exact-event-checks';

const check = exactEventChecks.LocationsAdded!;
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

const validLocation = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 200 }),
    name: fc.string({ maxLength: 40 }),
    latitude: fc.double({ min: -90, max: 90, noNaN: true }),
    longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    quantity: fc.double({ noNaN: true, noDefaultInfinity: true }),
    properties: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    created_at: fc.string({ minLength: 1, maxLength: 40 }),
    updated_at: fc.string({ minLength: 1, maxLength: 40 }),
  },
  { requiredKeys: ['id', 'name', 'latitude', 'longitude', 'properties', 'created_at', 'updated_at'] },
);

/** Values that break one rule or another of the schema, or that zod would change on the way through. */
const oddValue = fc.oneof(
  { arbitrary: fc.constantFrom(90, -90, 180, -180, 90.000001, -90.000001, 180.000001, -180.000001, 1e308, -0), weight: 4 },
  { arbitrary: fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, '', 'x'.repeat(200), 'x'.repeat(201), 'y'.repeat(1000), 'y'.repeat(1001), 'z'.repeat(40), 'z'.repeat(41)), weight: 4 },
  fc.constantFrom([], [1], {}, true, 0),
  fc.constant(new Date(0)),
  fc.constant(Object.create(null) as object),
  fc.constant(new (class Thing {})()),
  fc.string({ maxLength: 5 }),
  fc.double(),
);
const key = fc.constantFrom('datasetId', 'id', 'name', 'latitude', 'longitude', 'quantity', 'properties', 'created_at', 'updated_at', 'extra', 'toJSON', '__proto__');

/** A valid location, then one to three keys set to odd values or deleted. */
const mutatedLocation = fc
  .tuple(validLocation, fc.array(fc.tuple(key, fc.option(oddValue, { nil: undefined, freq: 20 }), fc.boolean()), { minLength: 1, maxLength: 2 }))
  .map(([location, edits]) => {
    const out: Record<string, unknown> = { ...location };
    for (const [k, value, remove] of edits) {
      if (remove) delete out[k];
      else Object.defineProperty(out, k, { value, enumerable: true, configurable: true, writable: true });
    }
    return out;
  });

/** Mostly one odd location among valid ones under a valid dataset id: each rule gets tested on its own. */
const event = fc.record({
  datasetId: fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 200 }), weight: 9 }, { arbitrary: oddValue, weight: 1 }),
  locations: fc
    .tuple(fc.array(validLocation, { maxLength: 2 }), fc.option(mutatedLocation, { nil: undefined, freq: 10 }))
    .map(([valid, odd]) => (odd === undefined ? valid : [...valid, odd])),
});

describe('exact event checks', () => {
  it('never accepts what the zod schema refuses or would change: accepted data stores exactly what zod outputs', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: event, weight: 9 }, { arbitrary: oddValue, weight: 1 }), (data) => {
        if (!check(data)) return;
        const parsed = eventSchemas.LocationsAdded.safeParse(data);
        expect(parsed.success).toBe(true);
        expect(json(data)).toEqual(json(parsed.data));
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts the ordinary case, so the append skips zod for it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.array(validLocation, { minLength: 1, maxLength: 5 }), (datasetId, locations) => {
        expect(check({ datasetId, locations })).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves the limits to zod: too many locations, none, or an extra key', () => {
    const location = { id: 'a', name: 'A', latitude: 0, longitude: 0, properties: {}, created_at: 't', updated_at: 't' };
    expect(check({ datasetId: 'd', locations: Array(MAX_LOCATIONS_PER_EVENT + 1).fill(location) })).toBe(false);
    expect(check({ datasetId: 'd', locations: [] })).toBe(false);
    expect(check({ datasetId: 'd', locations: [{ ...location, colour: 'red' }] })).toBe(false);
    expect(check({ datasetId: 'd', locations: [location], extra: 1 })).toBe(false);
    expect(check({ datasetId: 'd', locations: [location] })).toBe(true);
  });
});

/** A backup's location record: a valid location with its datasetId, then (mostly) one or two keys set to odd values or deleted, or an odd tag, or an extra key. */
const locationRecord = fc
  .tuple(
    validLocation,
    fc.string({ minLength: 1, maxLength: 200 }),
    fc.array(fc.tuple(key, fc.option(oddValue, { nil: undefined, freq: 20 }), fc.boolean()), { maxLength: 2 }),
    fc.oneof({ arbitrary: fc.constant('location'), weight: 9 }, { arbitrary: fc.constantFrom('dataset', 'event', undefined, 1), weight: 1 }),
    fc.option(oddValue, { nil: undefined, freq: 10 }),
  )
  .map(([location, datasetId, edits, t, extra]) => {
    const v: Record<string, unknown> = { ...location, datasetId };
    for (const [k, value, remove] of edits) {
      if (remove) delete v[k];
      else Object.defineProperty(v, k, { value, enumerable: true, configurable: true, writable: true });
    }
    return extra === undefined ? { t, v } : { t, v, extra };
  });

describe('exact location record check', () => {
  it("never accepts what the backup record schema refuses or would change", () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: locationRecord, weight: 9 }, { arbitrary: oddValue, weight: 1 }), (record) => {
        if (!isExactLocationRecord(record)) return;
        const parsed = backupRecordSchema.safeParse(record);
        expect(parsed.success).toBe(true);
        expect(json(record)).toEqual(json(parsed.data));
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts the ordinary record, so readers skip zod for it', () => {
    fc.assert(
      fc.property(validLocation, fc.string({ minLength: 1, maxLength: 200 }), (location, datasetId) => {
        expect(isExactLocationRecord({ t: 'location', v: { ...location, datasetId } })).toBe(true);
      }),
      { numRuns: 500 },
    );
    const v = { id: 'a', name: 'A', latitude: 0, longitude: 0, properties: {}, created_at: 't', updated_at: 't', datasetId: 'd' };
    expect(isExactLocationRecord({ t: 'location', v })).toBe(true);
    expect(isExactLocationRecord({ t: 'location', v: { ...v, datasetId: '' } })).toBe(false);
    expect(isExactLocationRecord({ t: 'location', v: { ...v, datasetId: undefined } })).toBe(false);
    expect(isExactLocationRecord({ t: 'dataset', v })).toBe(false);
  });
});
