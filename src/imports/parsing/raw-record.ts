/**
 * One record as read from an import file, before any typing or validation.
 *
 * `line` locates the record for error reports, and its meaning depends on the format:
 * - csv: the 1-based physical line on which the record starts (the header is line 1,
 *   so the first data row is line 2; a row after a multi-line quoted field reports
 *   the line where that row begins);
 * - json: the 1-based index of the record in its array (a JSON document has no
 *   meaningful line per record: a whole file may be one line);
 * - geojson: the 1-based index of the feature in `features`.
 */
export type RawRecord = { line: number; record: Record<string, unknown> };

/**
 * A record longer than this many characters fails the file with `IMPORT.RECORD_TOO_LARGE`. It
 * bounds the memory one record can take: without it an unclosed CSV quote would buffer the rest of
 * a 150 MB file as one field before noticing, and a JSON record would be built whatever its size.
 */
export const MAX_RECORD_CHARS = 1_000_000;
