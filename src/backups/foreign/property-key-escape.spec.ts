import fc from 'fast-check';
import { CSV_LOCATION_FIELDS, escapePropertyKey, GLOBE_LOCATION_FIELDS, unescapePropertyKey } from './property-key-escape';

describe('property key escape', () => {
  it.each([
    ['name', 'properties.name'],
    ['created_at', 'properties.created_at'],
    ['properties.id', 'properties.properties.id'],
    ['Name', 'Name'],
    ['population', 'population'],
    ['properties.population', 'properties.population'],
    ['properties', 'properties'],
    ['datasetId', 'datasetId'],
  ])('writes property %s beside the Globe fields as %s', (key, written) => {
    expect(escapePropertyKey(key, GLOBE_LOCATION_FIELDS)).toBe(written);
    expect(unescapePropertyKey(written, GLOBE_LOCATION_FIELDS)).toBe(key);
  });

  it('escapes datasetId beside the CSV columns', () => {
    expect(escapePropertyKey('datasetId', CSV_LOCATION_FIELDS)).toBe('properties.datasetId');
  });

  it('is a bijection that never yields a field name', () => {
    const names = fc.oneof(fc.string(), fc.constantFrom(...GLOBE_LOCATION_FIELDS), fc.constantFrom('properties.', 'properties.properties.').chain((p) => fc.constantFrom(...GLOBE_LOCATION_FIELDS).map((f) => p + f)));
    fc.assert(
      fc.property(names, (key) => {
        const written = escapePropertyKey(key, GLOBE_LOCATION_FIELDS);
        expect(GLOBE_LOCATION_FIELDS.has(written)).toBe(false);
        expect(unescapePropertyKey(written, GLOBE_LOCATION_FIELDS)).toBe(key);
      }),
    );
  });
});
