/** The part of csv-parse's per-record context this tracker reads. */
export type CsvParseProgress = { lines: number; empty_lines: number };

const CRLF = '\r\n';

/**
 * Works out the physical line on which each CSV record starts. csv-parse only reports
 * `lines`, the line a record ends on, so a record starts one line after the previous
 * one ended, plus the empty lines skipped in between.
 *
 * csv-parse counts a CRLF inside a quoted field as two lines (one per character) while
 * a CRLF between records counts as one. The tracker subtracts that surplus, so lines
 * stay exact after multi-line fields in Windows files.
 *
 * Feed it every record csv-parse produces, header and skipped rows included, in order.
 */
export class CsvLineTracker {
  /** csv-parse's line count minus its CRLF surplus so far. */
  private surplusLines = 0;
  private lastEndLine = 0;
  private emptyLinesSoFar = 0;

  /** Records `fields` (just parsed, with `progress` as csv-parse reported it) and returns its starting line. */
  recordStart(fields: readonly string[], progress: CsvParseProgress): number {
    const start = this.nextRecordStart(progress.empty_lines);
    // Only a record spanning several lines can contain a quoted CRLF; one-line records skip the scan.
    if (progress.lines - this.surplusLines > start) this.surplusLines += countCrlf(fields);
    this.lastEndLine = progress.lines - this.surplusLines;
    this.emptyLinesSoFar = progress.empty_lines;
    return start;
  }

  /** The starting line of the record csv-parse was reading when it failed. */
  failedRecordStart(emptyLinesAtFailure: number): number {
    return this.nextRecordStart(emptyLinesAtFailure);
  }

  private nextRecordStart(emptyLines: number): number {
    return this.lastEndLine + 1 + (emptyLines - this.emptyLinesSoFar);
  }
}

function countCrlf(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let at = field.indexOf(CRLF); at !== -1; at = field.indexOf(CRLF, at + CRLF.length)) count++;
  }
  return count;
}
