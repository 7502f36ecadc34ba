import { unsupportedFormat } from './import-errors';

export type ImportFormat = 'csv' | 'json' | 'geojson';

const FORMAT_BY_MEDIA_TYPE: ReadonlyMap<string, ImportFormat> = new Map([
  ['text/csv', 'csv'],
  ['application/csv', 'csv'],
  ['text/x-csv', 'csv'],
  ['application/x-csv', 'csv'],
  ['text/comma-separated-values', 'csv'],
  ['application/json', 'json'],
  ['text/json', 'json'],
  ['application/geo+json', 'geojson'],
  ['application/vnd.geo+json', 'geojson'],
]);

/**
 * Media types that say nothing about the content, so detection goes on to the file
 * name and the bytes. `application/vnd.ms-excel` is here because browsers on Windows
 * label `.csv` uploads with it.
 */
const UNINFORMATIVE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  '',
  'application/octet-stream',
  'binary/octet-stream',
  'text/plain',
  'application/vnd.ms-excel',
]);

const FORMAT_BY_EXTENSION: ReadonlyMap<string, ImportFormat> = new Map([
  ['csv', 'csv'],
  ['json', 'json'],
  ['geojson', 'geojson'],
]);

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/**
 * Decides how an upload is parsed, in order: its content type, its file extension,
 * then its first bytes (`head`, the first chunk or so of the file).
 *
 * Guarantees:
 * - a content type that is neither CSV, JSON, GeoJSON nor uninformative (e.g.
 *   `image/png`) throws `IMPORT.UNSUPPORTED_FORMAT`, as does a head containing a NUL
 *   byte: no UTF-8 CSV or JSON has one, so the file is binary (a spreadsheet, an
 *   image) or UTF-16, and parsing it would only produce garbage rows;
 * - a file labelled JSON (by type or extension) whose head names a
 *   `"FeatureCollection"` is read as GeoJSON, since GeoJSON is usually served and
 *   saved as plain JSON;
 * - anything else that is not recognisably JSON is read as CSV.
 */
export function detectFormat(contentType: string | undefined, head: Buffer, fileName?: string): ImportFormat {
  if (head.includes(0)) {
    throw unsupportedFormat('The file is binary or not UTF-8 encoded; import CSV, JSON or GeoJSON as UTF-8 text');
  }
  const declared = formatFromContentType(contentType) ?? formatFromFileName(fileName);
  const sniffed = sniffFormat(head);
  if (declared === undefined) return sniffed;
  return declared === 'json' && sniffed === 'geojson' ? 'geojson' : declared;
}

function formatFromContentType(contentType: string | undefined): ImportFormat | undefined {
  const mediaType = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  const format = FORMAT_BY_MEDIA_TYPE.get(mediaType);
  if (format !== undefined || UNINFORMATIVE_MEDIA_TYPES.has(mediaType)) return format;
  throw unsupportedFormat(`Cannot import files of type "${mediaType}"; use CSV, JSON or GeoJSON`, { contentType });
}

function formatFromFileName(fileName: string | undefined): ImportFormat | undefined {
  if (fileName === undefined) return undefined;
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : FORMAT_BY_EXTENSION.get(fileName.slice(dot + 1).toLowerCase());
}

function sniffFormat(head: Buffer): ImportFormat {
  const first = head[firstContentIndex(head)];
  if (first === OPEN_BRACKET) return 'json';
  if (first === OPEN_BRACE) return head.includes('"FeatureCollection"') ? 'geojson' : 'json';
  return 'csv';
}

/** Index of the first byte after an optional UTF-8 BOM and any JSON whitespace. */
function firstContentIndex(head: Buffer): number {
  let index = UTF8_BOM.every((byte, i) => head[i] === byte) ? UTF8_BOM.length : 0;
  while (index < head.length && isJsonWhitespace(head[index])) index++;
  return index;
}

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
