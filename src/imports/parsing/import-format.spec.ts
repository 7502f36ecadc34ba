import { AppError } from '../../common/app-error';
import { detectFormat } from './import-format';

const head = (text: string) => Buffer.from(text, 'utf8');
const CSV_HEAD = head('name,lat,lng\nParis,48.85,2.35\n');
const ARRAY_HEAD = head('  \n[{"name":"Paris"}]');
const OBJECT_HEAD = head('{"locations":[]}');
const GEOJSON_HEAD = head('{ "type" : "FeatureCollection", "features": []}');

describe('detectFormat', () => {
  it.each([
    ['text/csv', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    ['application/csv', 'csv'],
    ['APPLICATION/JSON', 'json'],
    ['application/geo+json', 'geojson'],
  ] as const)('trusts the content type %s over file name and bytes', (contentType, format) => {
    expect(detectFormat(contentType, format === 'csv' ? ARRAY_HEAD : CSV_HEAD, 'file.txt')).toBe(format);
  });

  it.each([
    ['places.csv', 'csv'],
    ['PLACES.JSON', 'json'],
    ['places.geojson', 'geojson'],
  ] as const)('uses the extension of %s when the content type says nothing', (fileName, format) => {
    expect(detectFormat('application/octet-stream', format === 'csv' ? ARRAY_HEAD : CSV_HEAD, fileName)).toBe(format);
    expect(detectFormat(undefined, format === 'csv' ? ARRAY_HEAD : CSV_HEAD, fileName)).toBe(format);
  });

  it('treats the content type Windows browsers give .csv files as uninformative', () => {
    expect(detectFormat('application/vnd.ms-excel', CSV_HEAD, 'places.csv')).toBe('csv');
  });

  it.each([
    [ARRAY_HEAD, 'json'],
    [OBJECT_HEAD, 'json'],
    [GEOJSON_HEAD, 'geojson'],
    [CSV_HEAD, 'csv'],
    [head('\uFEFF[1]'), 'json'],
    [head(''), 'csv'],
  ] as const)('sniffs the first bytes when nothing else decides (%#)', (bytes, format) => {
    expect(detectFormat(undefined, bytes, 'upload')).toBe(format);
    expect(detectFormat('text/plain', bytes)).toBe(format);
  });

  it('reads a FeatureCollection labelled as JSON as GeoJSON', () => {
    expect(detectFormat('application/json', GEOJSON_HEAD)).toBe('geojson');
    expect(detectFormat(undefined, GEOJSON_HEAD, 'world.json')).toBe('geojson');
  });

  it.each(['image/png', 'application/pdf', 'video/mp4'])('rejects the content type %s', (contentType) => {
    expect(() => detectFormat(contentType, CSV_HEAD, 'places.csv')).toThrow(
      expect.objectContaining({ code: 'IMPORT.UNSUPPORTED_FORMAT', status: 400 }),
    );
  });

  it('rejects binary content such as a spreadsheet sent as octet-stream', () => {
    const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    const error = captureError(() => detectFormat('application/octet-stream', xlsx, 'places.xlsx'));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'IMPORT.UNSUPPORTED_FORMAT' });
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
