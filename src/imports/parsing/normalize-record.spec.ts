import { Readable } from 'node:stream';
import { ColumnDetectionCache } from './column-detection-cache';
import { ColumnMapping, detectColumns } from './column-detection';
import { normalizeRecord, NormalizedRow } from './normalize-record';
import { readRecords } from './read-records';

const CSV_COLUMNS = detectColumns(['id', 'name', 'lat', 'lng', 'qty', 'created_at', 'updated_at']);

function normalize(record: Record<string, unknown>, columns: ColumnMapping = CSV_COLUMNS, line = 7): NormalizedRow {
  return normalizeRecord({ line, record }, columns);
}

function errorOf(row: NormalizedRow) {
  if (row.ok) throw new Error(`expected a rejected row, got ${JSON.stringify(row.location)}`);
  return row.error;
}

function locationOf(row: NormalizedRow) {
  if (!row.ok) throw new Error(`expected a location, got ${JSON.stringify(row.error)}`);
  return row.location;
}

describe('normalizeRecord', () => {
  it('types a CSV row and puts the other columns in properties', () => {
    const row = normalize({
      id: 'loc_1',
      name: '  Paris ',
      lat: ' 48.8566',
      lng: '2.3522 ',
      qty: '1e3',
      created_at: '2024-01-01',
      updated_at: '2024-01-02T10:00:00+02:00',
      population: '2100000',
      capital: 'TRUE',
      rural: 'false',
      note: '',
      zip: '01234',
      country: 'France',
    });
    expect(row).toEqual({
      ok: true,
      location: {
        id: 'loc_1',
        name: 'Paris',
        latitude: 48.8566,
        longitude: 2.3522,
        quantity: 1000,
        created_at: '2024-01-01T00:00:00.000Z',
        updated_at: '2024-01-02T08:00:00.000Z',
        properties: { population: 2100000, capital: true, rural: false, note: null, zip: '01234', country: 'France' },
      },
    });
  });

  it('keeps JSON values, nested ones included, as they are', () => {
    const record = {
      name: 'Paris',
      latitude: 48.85,
      longitude: 2.35,
      tags: ['a', 'b'],
      meta: { x: { y: 1 } },
      count: 3,
      flag: true,
      none: null,
    };
    const location = locationOf(normalize(record, detectColumns(Object.keys(record))));
    expect(location.properties).toEqual({ tags: ['a', 'b'], meta: { x: { y: 1 } }, count: 3, flag: true, none: null });
  });

  it.each([
    [{ name: '', lat: '48.8566', lng: '2.3522' }, '48.8566, 2.3522'],
    [{ name: '   ', lat: '-33.9', lng: '+151.2' }, '-33.9, 151.2'],
    [{ lat: '0', lng: '0.0' }, '0, 0'],
  ])('names a location without a name by its coordinates (%j)', (record, name) => {
    expect(locationOf(normalize(record)).name).toBe(name);
  });

  it('names a location by coordinates when the file has no name column', () => {
    const columns = detectColumns(['lat', 'lng', 'population']);
    expect(columns.name).toBeUndefined();
    expect(locationOf(normalize({ lat: '48.8566', lng: '2.3522', population: '5' }, columns))).toEqual({
      name: '48.8566, 2.3522',
      latitude: 48.8566,
      longitude: 2.3522,
      properties: { population: 5 },
    });
  });

  it('keeps ids exactly, turns numeric ids into strings and never invents one', () => {
    expect(locationOf(normalize({ id: ' A-7 ', lat: '1', lng: '2' })).id).toBe(' A-7 ');
    expect(locationOf(normalize({ id: 42, lat: '1', lng: '2' })).id).toBe('42');
    expect(locationOf(normalize({ id: '', lat: '1', lng: '2' }))).not.toHaveProperty('id');
    expect(locationOf(normalize({ lat: '1', lng: '2' }))).not.toHaveProperty('id');
  });

  it('treats a blank quantity as none', () => {
    expect(locationOf(normalize({ qty: ' ', lat: '1', lng: '2' }))).not.toHaveProperty('quantity');
    expect(locationOf(normalize({ qty: '-2.5', lat: '1', lng: '2' })).quantity).toBe(-2.5);
  });

  it('drops an unparseable date from its field but keeps its raw value in properties', () => {
    const location = locationOf(normalize({ lat: '1', lng: '2', created_at: 'yesterday', updated_at: '' }));
    expect(location).not.toHaveProperty('created_at');
    expect(location).not.toHaveProperty('updated_at');
    expect(location.properties).toEqual({ created_at: 'yesterday' });
  });

  it('accepts the coordinate bounds', () => {
    expect(locationOf(normalize({ lat: '-90', lng: '180' }))).toMatchObject({ latitude: -90, longitude: 180 });
    expect(locationOf(normalize({ lat: 90, lng: -180 }))).toMatchObject({ latitude: 90, longitude: -180 });
  });

  it.each([
    [{ lat: '', lng: '2' }, 'ROW.MISSING_COORDINATES', 'latitude in column "lat" is empty'],
    [{ lat: '1', lng: null }, 'ROW.MISSING_COORDINATES', 'longitude in column "lng" is empty'],
    [
      { lat: ' ', lng: undefined },
      'ROW.MISSING_COORDINATES',
      'latitude in column "lat" is empty; longitude in column "lng" is empty',
    ],
    [{ lat: 'abc', lng: '2' }, 'ROW.INVALID_LATITUDE', 'latitude "abc" in column "lat" is not a number'],
    [
      { lat: '90.5', lng: '2' },
      'ROW.INVALID_LATITUDE',
      'latitude "90.5" in column "lat" is outside the range -90 to 90',
    ],
    [{ lat: 'NaN', lng: '2' }, 'ROW.INVALID_LATITUDE', 'latitude "NaN" in column "lat" is not a number'],
    [{ lat: 'Infinity', lng: '2' }, 'ROW.INVALID_LATITUDE', 'latitude "Infinity" in column "lat" is not a number'],
    [{ lat: true, lng: '2' }, 'ROW.INVALID_LATITUDE', 'latitude true in column "lat" is not a number'],
    [
      { lat: '1', lng: '-180.01' },
      'ROW.INVALID_LONGITUDE',
      'longitude "-180.01" in column "lng" is outside the range -180 to 180',
    ],
    [{ lat: '1', lng: '2,5' }, 'ROW.INVALID_LONGITUDE', 'longitude "2,5" in column "lng" is not a number'],
    [{ lat: '1', lng: '2', qty: 'many' }, 'ROW.INVALID_QUANTITY', 'quantity "many" in column "qty" is not a number'],
    [{ lat: '1', lng: '2', qty: { n: 1 } }, 'ROW.INVALID_QUANTITY', 'quantity {"n":1} in column "qty" is not a number'],
  ])('rejects %j with %s', (record, code, reason) => {
    expect(errorOf(normalize(record))).toEqual({ line: 7, code, reason });
  });

  it('names the expected headers when a coordinate column is missing altogether', () => {
    const error = errorOf(normalize({ name: 'Paris', lat: '1' }, detectColumns(['name', 'lat'])));
    expect(error.code).toBe('ROW.MISSING_COORDINATES');
    expect(error.reason).toBe('no longitude column (expected a column named "lng", "lon", "long" or "longitude")');
  });

  it('shortens long values in reasons', () => {
    const { reason } = errorOf(normalize({ lat: 'x'.repeat(5000), lng: '2' }));
    expect(reason.length).toBeLessThan(150);
  });

  it('rejects a GeoJSON feature that is not a Point', () => {
    const record = { name: 'Road', __invalidGeometry: 'LineString' };
    expect(errorOf(normalize(record, detectColumns(Object.keys(record)), 3))).toEqual({
      line: 3,
      code: 'ROW.INVALID_GEOMETRY',
      reason: 'geometry "LineString" is not a Point; only points can be imported',
    });
  });
});

describe('reading and normalizing whole files', () => {
  async function importRows(text: string, format: 'json' | 'geojson'): Promise<NormalizedRow[]> {
    const columns = new ColumnDetectionCache();
    const rows: NormalizedRow[] = [];
    for await (const raw of readRecords(Readable.from([Buffer.from(text)]), format)) {
      rows.push(normalizeRecord(raw, columns.columnsFor(raw.record)));
    }
    return rows;
  }

  it('imports a Globe "Save Project" file with ids, timestamps and extra fields intact', async () => {
    const project = {
      locations: [
        {
          id: 'loc_1',
          name: 'Paris',
          latitude: 48.85,
          longitude: 2.35,
          quantity: 5,
          created_at: '2024-01-01T00:00:00.000Z',
          updated_at: '2024-01-02T00:00:00.000Z',
          population: 2100000,
        },
      ],
      columnMapping: {},
      uiSettings: {},
      metadata: { timestamp: '2024-01-03T00:00:00.000Z', version: '1.0', recordCount: 1, appVersion: '1.0.0' },
    };
    expect(await importRows(JSON.stringify(project), 'json')).toEqual([
      {
        ok: true,
        location: {
          id: 'loc_1',
          name: 'Paris',
          latitude: 48.85,
          longitude: 2.35,
          quantity: 5,
          created_at: '2024-01-01T00:00:00.000Z',
          updated_at: '2024-01-02T00:00:00.000Z',
          properties: { population: 2100000 },
        },
      },
    ]);
  });

  it('imports GeoJSON points and reports other geometries by feature index', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 'f1',
          geometry: { type: 'Point', coordinates: [2.35, 48.85] },
          properties: { title: 'Paris' },
        },
        {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
          properties: { title: 'Road' },
        },
      ],
    };
    expect(await importRows(JSON.stringify(collection), 'geojson')).toEqual([
      { ok: true, location: { id: 'f1', name: 'Paris', latitude: 48.85, longitude: 2.35, properties: {} } },
      { ok: false, error: expect.objectContaining({ line: 2, code: 'ROW.INVALID_GEOMETRY' }) },
    ]);
  });
});
