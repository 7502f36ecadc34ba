import { AppError, badRequest } from '../../common/app-error';

/**
 * The whole-file failures of an import. All are 400s: the client sent a file
 * the service cannot read, and retrying the same bytes cannot succeed. `line` uses the
 * format's own meaning of line (see RawRecord) unless said otherwise; omitted when unknown.
 */
export const unsupportedFormat = (message: string, details?: unknown): AppError =>
  badRequest('IMPORT.UNSUPPORTED_FORMAT', message, details);

export const malformedFile = (message: string, line?: number): AppError =>
  badRequest('IMPORT.MALFORMED_FILE', message, line === undefined ? undefined : { line });

/** One record is longer than the limit (for CSV, most often a quote left unclosed). */
export const recordTooLarge = (message: string, maxChars: number, line?: number): AppError =>
  badRequest('IMPORT.RECORD_TOO_LARGE', message, { ...(line === undefined ? {} : { line }), maxChars });

/** One record nests arrays and objects deeper than the limit. */
export const recordTooDeep = (maxDepth: number, line?: number): AppError =>
  badRequest(
    'IMPORT.TOO_DEEP',
    `Record ${line ?? '?'} of the JSON file nests arrays and objects more than ${maxDepth} levels deep`,
    { ...(line === undefined ? {} : { line }), maxDepth },
  );

/** The bytes are not text in `encoding`; `line` is the file's physical line (1-based), whatever the format (see NotUtf8Error). */
export const wrongEncoding = (encoding: string, line: number): AppError =>
  badRequest(
    'IMPORT.ENCODING',
    `Line ${line} of the file is not valid ${encoding}; nothing was imported. Send the file as UTF-8, or name its encoding with encoding=latin1 or encoding=windows-1252`,
    { line, encoding },
  );
