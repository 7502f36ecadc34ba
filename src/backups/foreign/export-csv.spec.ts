import { PassThrough, Readable } from 'node:stream';
import { ColumnDetectionCache } from '../../imports/parsing/column-detection-cache';
import { normalizeRecord, NormalizedRow } from '../../imports/parsing/normalize-record';
import { readRecords } from '../../imports/parsing/read-records';
import { BackupRecord } from '../format/backup-record';
import { writeLocationsCsv } from './export-csv';
import { asAsync, location, locationsOf, sampleState } from './testing/foreign-fixtures';

async function exportCsv(records: BackupRecord[], options: Parameters<typeof writeLocationsCsv>[2]) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await writeLocationsCsv(asAsync(records), out, options);
  return { result, text: Buffer.concat(chunks).toString('utf8') };
}

/** The CSV through our importer, as an upload would go. */
async function reimport(text: string): Promise<NormalizedRow[]> {
  const cache = new ColumnDetectionCache();
  const rows: NormalizedRow[] = [];
  for await (const raw of readRecords(Readable.from([Buffer.from(text)]), 'csv')) rows.push(normalizeRecord(raw, cache.columnsFor(raw.record)));
  return rows;
}

/** Property values CSV can carry with their types: numbers, booleans, null, and strings readCellValue keeps as strings. */
const ROUND_TRIP_STATE: BackupRecord[] = [
  location('loc-1', 'ds-1', 'Paris', 48.8566, 2.3522, 2_100_000, { country: 'FR', is_capital: true, rank: 1, density: 20754.5, note: null, zip: '75001x' }),
  location('0042', 'ds-1', 'Quote "and", comma\r\nnewline', -33.8688, 151.2093, undefined, { country: 'AU', is_capital: false, rank: -3, density: 0.25, note: 'a, "b"\nc', zip: '02134' }),
  location('ID with spaces ', 'ds-2', 'Zürich 東京 🚢', 0, -180, 0, { country: 'CH', is_capital: false, rank: 0, density: 1e-7, note: 'TRUE-ish', zip: 'CH-8001' }),
  location('12345678901234567890', 'ds-2', '=SUM(A1)', -90, 180, -12.5, { country: 'lat', is_capital: true, rank: 9007199254740991, density: 3, note: 'x', zip: 'n/a' }),
];
const PROPERTY_KEYS = ['country', 'is_capital', 'rank', 'density', 'note', 'zip'];

describe('writeLocationsCsv', () => {
  it('writes the fixed header, then the property keys, CRLF-terminated, quoting only what needs it', async () => {
    const { result, text } = await exportCsv(sampleState(), { propertyKeys: ['country', 'name', 'nested', 'country', 'missing'] });
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,name,latitude,longitude,quantity,created_at,updated_at,datasetId,country,properties.name,nested,missing');
    expect(lines[1]).toBe('loc-1,Paris,48.8566,2.3522,2100000,2024-01-02T03:04:05.006Z,2024-05-01T12:00:00.000Z,ds-1,FR,,"{""deep"":{""x"":1.5}}",');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(result).toEqual({ rows: 3 });
  });

  it('writes one dataset with datasetId, and ignores every other record', async () => {
    const { result, text } = await exportCsv(sampleState(), { propertyKeys: [], datasetId: 'ds-2' });
    expect(result).toEqual({ rows: 1 });
    expect(text.split('\r\n').slice(1, 2)).toEqual(['loc-3,Zürich 東京 🚢,0,-180,0,2024-01-02T03:04:05.006Z,2024-05-01T12:00:00.000Z,ds-2']);
  });

  it('re-imports through our importer with the same ids, names, coordinates, quantity, timestamps and properties', async () => {
    const { text } = await exportCsv(ROUND_TRIP_STATE, { propertyKeys: PROPERTY_KEYS });
    const rows = await reimport(text);
    expect(rows.every((row) => row.ok)).toBe(true);
    const imported = rows.map((row) => (row.ok ? row.location : undefined));
    expect(imported).toEqual(
      locationsOf(ROUND_TRIP_STATE).map(({ datasetId, ...location }) => ({ ...location, properties: { ...location.properties, datasetId } })),
    );
  });

  it('gives back what CSV cannot type as the importer reads it (documented losses)', async () => {
    const state = [location('a', 'ds', '  padded  ', 1, 2, undefined, { numeric: '42', flag: 'true', empty: '', object: { a: [1] } })];
    const { text } = await exportCsv(state, { propertyKeys: ['numeric', 'flag', 'empty', 'object', 'absent'] });
    const [row] = await reimport(text);
    expect(row).toEqual({
      ok: true,
      location: expect.objectContaining({ name: 'padded', properties: { datasetId: 'ds', numeric: 42, flag: true, empty: null, object: '{"a":[1]}', absent: null } }),
    });
  });

  it('re-imports a property named like a fixed column under its escaped header, without touching the column', async () => {
    const state = [location('a', 'ds', 'Real name', 1, 2, 3, { name: 'shadow', latitude: 99, datasetId: 'shadow-ds' })];
    const { text } = await exportCsv(state, { propertyKeys: ['name', 'latitude', 'datasetId'] });
    const [row] = await reimport(text);
    expect(row).toEqual({
      ok: true,
      location: expect.objectContaining({ id: 'a', name: 'Real name', latitude: 1, quantity: 3, properties: { datasetId: 'ds', 'properties.name': 'shadow', 'properties.latitude': 99, 'properties.datasetId': 'shadow-ds' } }),
    });
  });
});
