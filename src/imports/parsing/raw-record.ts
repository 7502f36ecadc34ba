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
