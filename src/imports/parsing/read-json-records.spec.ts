import { Readable } from 'node:stream';
import { ImportFormat } from './import-format';
import { RawRecord } from './raw-record';
import { readRecords } from './read-records';

function streamOf(text: string, chunkSize = 5): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}

async function read(document: unknown, format: ImportFormat): Promise<RawRecord[]> {
  const text = typeof document === 'string' ? document : JSON.stringify(document, null, 2);
  const records: RawRecord[] = [];
  for await (const record of readRecords(streamOf(text), format)) records.push(record);
  return records;
}

const paris = { name: 'Paris', latitude: 48.85, longitude: 2.35 };
const lyon = { name: 'Lyon', latitude: 45.76, longitude: 4.83, tags: ['a', { b: null }] };

describe('readRecords (json)', () => {
  const expected = [
    { line: 1, record: paris },
    { line: 2, record: lyon },
  ];

  it('reads a bare array, numbering records from 1', async () => {
    expect(await read([paris, lyon], 'json')).toEqual(expected);
  });

  it('reads {locations: [...]}', async () => {
    expect(await read({ locations: [paris, lyon] }, 'json')).toEqual(expected);
  });

  it('reads {data: [...]} whatever members surround it', async () => {
    expect(await read({ exportedAt: 'x', meta: { data: [1] }, data: [paris, lyon], after: [[1]] }, 'json')).toEqual(
      expected,
    );
  });

  it('reads a Globe "Save Project" file, skipping its settings', async () => {
    const project = {
      locations: [{ id: 'loc_1', ...paris, quantity: 5, population: 2100000 }],
      columnMapping: { name: 'name', latitude: 'latitude' },
      uiSettings: { theme: 'dark', layers: [{ on: true }] },
      metadata: { timestamp: '2024-01-02T00:00:00.000Z', version: '1.0', recordCount: 1, appVersion: '1.0.0' },
    };
    expect(await read(project, 'json')).toEqual([
      { line: 1, record: { id: 'loc_1', ...paris, quantity: 5, population: 2100000 } },
    ]);
  });

  it('reads an empty array and tolerates a BOM', async () => {
    expect(await read('\uFEFF{"locations": []}', 'json')).toEqual([]);
  });

  it.each([
    ['a number', '42'],
    ['a string', '"locations"'],
    ['an object with neither key', '{"places": [{"name": "Paris"}]}'],
    ['a non-array locations member', '{"locations": {"name": "Paris"}}'],
    ['an empty document', ''],
    ['a truncated document', '[{"name": "Paris"}, {"name": "Ly'],
    ['trailing garbage', '[] []'],
    ['a record that is not an object', '[{"name": "Paris"}, 7]'],
  ])('rejects %s as a malformed file', async (_shape, document) => {
    await expect(read(document, 'json')).rejects.toMatchObject({ code: 'IMPORT.MALFORMED_FILE', status: 400 });
  });

  it('locates a parse error at the record being read', async () => {
    await expect(read('[{"a": 1}, {"a": 2}, {"a": tru}]', 'json')).rejects.toMatchObject({
      code: 'IMPORT.MALFORMED_FILE',
      details: { line: 3 },
    });
  });
});

describe('readRecords (geojson)', () => {
  const point = (coordinates: unknown, properties: unknown, extra: object = {}) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates },
    properties,
    ...extra,
  });

  it('flattens Point features, reading coordinates as [longitude, latitude]', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [point([2.35, 48.85], { name: 'Paris', population: 2100000 }), point([4.83, 45.76], null)],
    };
    expect(await read(collection, 'geojson')).toEqual([
      { line: 1, record: { latitude: 48.85, longitude: 2.35, name: 'Paris', population: 2100000 } },
      { line: 2, record: { latitude: 45.76, longitude: 4.83 } },
    ]);
  });

  it('takes the id from feature.id unless the properties have one', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        point([1, 2], { name: 'A' }, { id: 'f1' }),
        point([1, 2], { ID: 'p2' }, { id: 'f2' }),
        point([1, 2], {}, { id: 7 }),
      ],
    };
    expect((await read(collection, 'geojson')).map(({ record }) => record)).toEqual([
      { latitude: 2, longitude: 1, name: 'A', id: 'f1' },
      { latitude: 2, longitude: 1, ID: 'p2' },
      { latitude: 2, longitude: 1, id: 7 },
    ]);
  });

  it('lets the geometry win over coordinate-named properties', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [point([1, 2], { latitude: 50, lat: 51, longitude: 9 })],
    };
    const [{ record }] = await read(collection, 'geojson');
    expect(record).toEqual({ latitude: 2, longitude: 1, lat: 51 });
    expect(Object.keys(record).slice(0, 2)).toEqual(['latitude', 'longitude']);
  });

  it('marks features that are not points instead of dropping them', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
          properties: { name: 'Road' },
        },
        { type: 'Feature', geometry: null, properties: { name: 'Nowhere' } },
      ],
    };
    expect(await read(collection, 'geojson')).toEqual([
      { line: 1, record: { name: 'Road', __invalidGeometry: 'LineString' } },
      { line: 2, record: { name: 'Nowhere', __invalidGeometry: 'none' } },
    ]);
  });

  it.each([
    ['a bare array of features', '[]'],
    ['a single Feature', JSON.stringify(point([1, 2], {}))],
    ['another type with features', '{"type": "GeometryCollection", "features": []}'],
    ['a collection without features', '{"type": "FeatureCollection"}'],
    ['a feature that is not an object', '{"type": "FeatureCollection", "features": ["x"]}'],
  ])('rejects %s as a malformed file', async (_shape, document) => {
    await expect(read(document, 'geojson')).rejects.toMatchObject({ code: 'IMPORT.MALFORMED_FILE' });
  });
});
