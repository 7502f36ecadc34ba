import { Readable } from 'node:stream';
import { parser as jsonTokenizer } from 'stream-json';
import { featureToRecord } from './geojson-feature-record';
import { malformedFile } from './import-errors';
import { isJsonObject } from './is-json-object';
import { iterateParsedBatches } from './iterate-parsed';
import { RawRecord } from './raw-record';
import { decodeToUtf8, ImportEncoding } from './text-encoding';
import { RecordArrayLocation, TopLevelArrayElements } from './top-level-array-elements';

/**
 * The JSON shapes the Globe app reads: a bare array of records, its export
 * `{data: [...]}`, or `{locations: [...]}`, which also covers its Save Project file
 * (`{locations, columnMapping, uiSettings, metadata}`).
 */
const LOCATIONS_ARRAY: RecordArrayLocation = {
  bareArray: true,
  keys: ['locations', 'data'],
  expected: 'an array of records, or an object with a "locations" or "data" array',
};

const FEATURE_COLLECTION: RecordArrayLocation = {
  bareArray: false,
  keys: ['features'],
  type: 'FeatureCollection',
  expected: 'a GeoJSON FeatureCollection with a "features" array',
};

/**
 * Streams the records of a JSON or GeoJSON document, in batches (see iterateParsed);
 * `line` is the record's (or feature's) 1-based index in its array. An element that is
 * not an object, or a document of another shape, throws `IMPORT.MALFORMED_FILE`.
 */
export function readJsonRecords(
  input: NodeJS.ReadableStream | Readable,
  format: 'json' | 'geojson',
  encoding: ImportEncoding = 'utf-8',
): AsyncIterable<RawRecord[]> {
  const elements =
    format === 'json'
      ? new TopLevelArrayElements(LOCATIONS_ARRAY, toLocationRecord)
      : new TopLevelArrayElements(FEATURE_COLLECTION, toFeatureRecord);
  // Packed values only: one token per string or number instead of a chunk stream.
  const tokenizer = jsonTokenizer({ packValues: true, streamValues: false });
  return iterateParsedBatches<RawRecord>(input, [decodeToUtf8(encoding), tokenizer, elements], (error) => {
    const problem = error instanceof Error ? error.message : String(error);
    const where = elements.currentIndex === undefined ? '' : ` in record ${elements.currentIndex}`;
    // stream-json stops at the first character that cannot start a value, without naming it
    const hint = /expected a value/.test(problem) ? ' (NaN, Infinity, undefined and trailing commas are not JSON)' : '';
    return malformedFile(`The JSON file cannot be parsed${where}: ${problem}${hint}`, elements.currentIndex);
  });
}

function toLocationRecord(element: unknown, index: number): RawRecord {
  if (!isJsonObject(element)) throw malformedFile(`Record ${index} of the JSON file is not an object`, index);
  return { line: index, record: element };
}

function toFeatureRecord(element: unknown, index: number): RawRecord {
  if (!isJsonObject(element)) throw malformedFile(`Feature ${index} of the GeoJSON file is not an object`, index);
  return { line: index, record: featureToRecord(element) };
}
