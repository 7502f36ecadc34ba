import { WriterRequest } from './log-writer-protocol';

/** Rows per message to the writer thread, and characters of data: small enough to overlap, large enough to amortize a message. */
const BATCH_ROWS = 256;
const FIRST_BATCH_ROWS = 32;
const BATCH_CHARS = 1024 * 1024;

/** One message of rows for the writer thread (see the `rows` message for its shape). */
export class RowBatch {
  private readonly eventIds: string[] = [];
  private readonly eventIdEnds: number[] = [];
  private readonly data: string[] = [];
  private readonly dataEnds: number[] = [];
  private readonly kinds: Array<[string, number, string]> = [];
  private readonly kindOf: number[] = [];
  private idChars = 0;
  private dataChars = 0;

  private constructor(private readonly maxRows: number) {}

  /** The first batch is small and each next one twice as large (up to BATCH_ROWS): the writer thread starts early. */
  static first(): RowBatch {
    return new RowBatch(FIRST_BATCH_ROWS);
  }

  next(): RowBatch {
    return new RowBatch(Math.min(BATCH_ROWS, this.maxRows * 2));
  }

  get size(): number {
    return this.data.length;
  }

  add(eventId: string, type: string, schemaVersion: number, data: string, metadata: string): void {
    this.eventIds.push(eventId);
    this.eventIdEnds.push((this.idChars += eventId.length));
    this.data.push(data);
    this.dataEnds.push((this.dataChars += data.length));
    const last = this.kinds[this.kinds.length - 1];
    if (!last || last[0] !== type || last[1] !== schemaVersion || last[2] !== metadata) this.kinds.push([type, schemaVersion, metadata]);
    this.kindOf.push(this.kinds.length - 1);
  }

  full(): boolean {
    return this.data.length >= this.maxRows || this.dataChars >= BATCH_CHARS;
  }

  message(ack: number | null): WriterRequest {
    return {
      op: 'rows',
      ack,
      eventIds: this.eventIds.join(''),
      eventIdEnds: this.eventIdEnds,
      data: this.data.join(''),
      dataEnds: this.dataEnds,
      kinds: this.kinds,
      kindOf: this.kindOf,
    };
  }
}
