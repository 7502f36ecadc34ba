import { AppError, badRequest } from '../../common/app-error';

/**
 * The whole-file failures of an import. Both are 400s: the client sent a file
 * the service cannot read, and retrying the same bytes cannot succeed.
 */
export const unsupportedFormat = (message: string, details?: unknown): AppError =>
  badRequest('IMPORT.UNSUPPORTED_FORMAT', message, details);

/** `line` uses the format's own meaning of line (see RawRecord); omitted when unknown. */
export const malformedFile = (message: string, line?: number): AppError =>
  badRequest('IMPORT.MALFORMED_FILE', message, line === undefined ? undefined : { line });
