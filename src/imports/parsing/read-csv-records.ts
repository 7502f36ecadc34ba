import { Readable } from 'node:stream';
import { CsvError, Options, Parser } from 'csv-parse';
import { AppError } from '../../common/app-error';
import { CsvHeader } from './csv-header';
import { CsvLineTracker } from './csv-line-tracker';
import { malformedFile, recordTooLarge } from './import-errors';
import { iterateParsedBatches } from './iterate-parsed';
import { MAX_RECORD_CHARS, RawRecord } from './raw-record';
import { decodeToUtf8, ImportEncoding } from './text-encoding';

const CSV_OPTIONS: Options = {
  bom: true,
  // Explicit, not auto-detected, so a file mixing line endings still splits on all of them.
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true,
  // A short or long row is read as far as it goes rather than failing the whole file.
  relax_column_count: true,
  // A stray quote inside an unquoted field (`5" screen`) is kept as text.
  relax_quotes: true,
  max_record_size: MAX_RECORD_CHARS,
};

/**
 * Streams the data rows of a CSV file, in batches (see iterateParsed), as records of
 * strings keyed by header name (see CsvHeader), with `line` the physical line each row
 * starts on.
 *
 * Rows whose cells are all empty or whitespace are skipped, as are empty lines. A file
 * without a header row, or that csv-parse cannot parse, throws `IMPORT.MALFORMED_FILE`
 * with `details.line` the line where the failing record starts; a row longer than
 * MAX_RECORD_CHARS throws `IMPORT.RECORD_TOO_LARGE`, with that line too.
 */
export function readCsvRecords(input: NodeJS.ReadableStream | Readable, encoding: ImportEncoding = 'utf-8'): AsyncIterable<RawRecord[]> {
  const parser = new CsvRecordParser();
  return requireHeader(
    iterateParsedBatches<RawRecord>(input, [decodeToUtf8(encoding), parser], (error) => parser.describeFailure(error)),
    parser,
  );
}

async function* requireHeader(records: AsyncIterable<RawRecord[]>, parser: CsvRecordParser): AsyncGenerator<RawRecord[]> {
  yield* records;
  if (!parser.hasHeader) throw malformedFile('The CSV file is empty; a header row is required', 1);
}

/**
 * csv-parse's parser, emitting RawRecords instead of arrays of fields.
 *
 * It hooks `push`, through which a Transform emits each output, because there and only
 * there the parser's live `info` describes the record just parsed. csv-parse's own
 * per-record context (`on_record`, `info: true`) copies that info for every record,
 * which halves throughput.
 */
class CsvRecordParser extends Parser {
  private readonly lines = new CsvLineTracker();
  private header: CsvHeader | undefined;

  constructor() {
    super(CSV_OPTIONS);
  }

  get hasHeader(): boolean {
    return this.header !== undefined;
  }

  override push(fields: string[] | null): boolean {
    if (fields === null) return super.push(null);
    const line = this.lines.recordStart(fields, this.info);
    if (this.header === undefined) {
      this.header = new CsvHeader(fields);
      return true;
    }
    // csv-parse ignores push's result, so a skipped row needs no particular answer.
    return isBlankRow(fields) || super.push({ line, record: this.header.toRecord(fields) } satisfies RawRecord);
  }

  describeFailure(error: unknown): AppError {
    if (!(error instanceof CsvError)) return malformedFile(`The CSV file could not be read: ${String(error)}`);
    const line = this.lines.failedRecordStart(error.empty_lines);
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return malformedFile(`The quoted field in the row starting on line ${line} is never closed`, line);
      case 'CSV_MAX_RECORD_SIZE':
        return recordTooLarge(`The row starting on line ${line} is longer than ${MAX_RECORD_CHARS} characters; is a quote left unclosed?`, MAX_RECORD_CHARS, line);
      default:
        return malformedFile(`The CSV row starting on line ${line} cannot be parsed: ${error.message}`, line);
    }
  }
}

function isBlankRow(fields: readonly string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}
