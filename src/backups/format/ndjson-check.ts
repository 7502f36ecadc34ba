import { RecordCounts } from './backup-manifest';
import { checkRecordLine } from './check-record';
import { InvalidUtf8Error, LineTooLongError, NdjsonSplitter } from './ndjson-lines';
import { RecordSequence } from './record-sequence';

/** What the NDJSON a writer produced says about itself, once every line passed. */
export interface NdjsonFacts {
  records: number;
  counts: RecordCounts;
  stateHash: string;
  rawBytes: number;
}

/** The first line that failed: its 1-based number (= the record's) and why. */
export interface NdjsonFailure {
  record: number;
  path: string;
  message: string;
}

/**
 * The writer's check of its own output, fed the NDJSON bytes exactly as they go to the compressor:
 * every line is taken as a reader takes it (split, strict UTF-8, JSON.parse, checkRecordLine), so a
 * file the writer accepts is a file a reader accepts; counts, state hash and size are measured on
 * the way. Events are the log's own, whose payloads the log validated on append: their
 * frame is checked here (type, schema version, envelope, position order), their payload by every
 * reader (upcast and validated on read). Stops at the first failure. Runs on the check thread (ndjson-check.worker.ts).
 */
export class NdjsonCheck {
  private readonly splitter = new NdjsonSplitter();
  private readonly sequence: RecordSequence;
  private rawBytes = 0;
  private records = 0;
  failure: NdjsonFailure | null = null;

  constructor(includesHistory: boolean) {
    this.sequence = new RecordSequence(includesHistory);
  }

  push(chunk: Buffer): void {
    if (this.failure) return;
    this.rawBytes += chunk.length;
    try {
      for (const { line, text } of this.splitter.push(chunk)) {
        this.records = line;
        const checked = checkRecordLine(text, this.sequence, { eventData: false });
        if (!checked.ok) return void (this.failure = { record: line, path: checked.path, message: checked.message });
      }
    } catch (error) {
      if (!(error instanceof LineTooLongError || error instanceof InvalidUtf8Error)) throw error;
      this.failure = { record: error.line, path: '', message: error.message };
    }
  }

  /** The facts, or the failure (also a last line without its line end: the writer ends every line). */
  finish(): NdjsonFacts | NdjsonFailure {
    if (this.failure) return this.failure;
    try {
      const last = this.splitter.end();
      if (last) return (this.failure = { record: last.line, path: '', message: 'its line has no line end' });
    } catch (error) {
      if (!(error instanceof InvalidUtf8Error)) throw error;
      return (this.failure = { record: error.line, path: '', message: error.message });
    }
    return { records: this.records, counts: this.sequence.counts, stateHash: this.sequence.stateHash(), rawBytes: this.rawBytes };
  }
}
