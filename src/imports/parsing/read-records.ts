import { Readable } from 'node:stream';
import { ImportFormat } from './import-format';
import { RawRecord } from './raw-record';
import { readCsvRecords } from './read-csv-records';
import { readJsonRecords } from './read-json-records';
import { ImportEncoding } from './text-encoding';

/**
 * Streams the records of an import file in file order, in batches: each batch holds the
 * records parsed so far that the caller has not seen (see iterateParsed), never empty.
 *
 * Guarantees: memory stays flat whatever the file size (one input chunk's records in
 * flight plus stream buffers); `input` is read only as fast as the caller iterates, and
 * stopping early destroys it. Parsing failures are thrown from the iteration as
 * `IMPORT.MALFORMED_FILE` (or a more precise IMPORT.* code: a record too large or too deep,
 * bytes not UTF-8 as a NotUtf8Error), possibly after records were already yielded; a transport
 * failure (`input` erroring, or closing before its end) is rethrown unchanged.
 * Records are untyped: CSV values are strings, JSON values are as in the file. What
 * `line` means per format is set out on RawRecord.
 */
export function readRecordBatches(
  input: NodeJS.ReadableStream | Readable,
  format: ImportFormat,
  encoding: ImportEncoding = 'utf-8',
): AsyncIterable<RawRecord[]> {
  return format === 'csv' ? readCsvRecords(input, encoding) : readJsonRecords(input, format, encoding);
}

/** readRecordBatches one record at a time, with the same guarantees: for callers that do not need the speed. */
export function readRecords(input: NodeJS.ReadableStream | Readable, format: ImportFormat): AsyncIterable<RawRecord> {
  return flatten(readRecordBatches(input, format));
}

async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
