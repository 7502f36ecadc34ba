import { BACKWARDS, END, START, StreamNotFoundError, type KurrentDBClient, type ReadPosition } from '@kurrent/kurrentdb-client';
import { HeadRecord, KurrentNames, headRecordOf } from './kurrentdb-records';

/** A head record with where it is: its revision in the head stream and its position in `$all`. */
export interface HeadEntry {
  revision: bigint;
  record: HeadRecord;
  /** The head record's `$all` position (`{commit, prepare}`): servers after 22.6 return it on stream reads. */
  allPosition: ReadPosition;
}

/**
 * The log's index, read from the head stream (kurrentdb-records.ts, HeadRecord): one record per
 * append, in append order, each with the append's first and last positions and its recordedAt.
 * Positions and times both increase with the revision, so every question is a binary search
 * (log₂ of the number of appends, one single-event read each).
 */
export class KurrentDbHead {
  constructor(
    private readonly client: KurrentDBClient,
    private readonly names: KurrentNames,
  ) {}

  /** The last head record, or null for an empty log. */
  async last(): Promise<HeadEntry | null> {
    return this.read(END, BACKWARDS);
  }

  async at(revision: bigint): Promise<HeadEntry | null> {
    return this.read(revision, 'forwards');
  }

  /**
   * The `$all` position to read from so that the event at `position` is not skipped: just after
   * the append before the one holding it (START for the first append). Events of that earlier
   * append may follow (a multi-stream append does not order its streams' records in `$all`), so
   * the reader drops what comes before `position`.
   */
  async readFromFor(position: number): Promise<ReadPosition> {
    const holding = await this.first((r) => r.last >= position);
    if (holding === null) return (await this.last())?.allPosition ?? START;
    if (holding.revision === 0n) return START;
    return (await this.at(holding.revision - 1n))?.allPosition ?? START;
  }

  /** The first head record (lowest revision) for which `test` holds, `test` being false then true along the stream; null when none. */
  async first(test: (r: HeadRecord) => boolean): Promise<HeadEntry | null> {
    const last = await this.last();
    if (!last || !test(last.record)) return null;
    let lo = 0n;
    let hi = last.revision;
    let found = last;
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      const entry = await this.at(mid);
      if (!entry) throw new Error(`the ${this.names.head} stream has no revision ${mid} (truncated?)`);
      if (test(entry.record)) {
        found = entry;
        hi = mid;
      } else {
        lo = mid + 1n;
      }
    }
    return found;
  }

  private async read(fromRevision: bigint | typeof END, direction: 'forwards' | typeof BACKWARDS): Promise<HeadEntry | null> {
    try {
      for await (const resolved of this.client.readStream(this.names.head, { fromRevision, direction, maxCount: 1 })) {
        const position = resolved.event?.position;
        return { revision: resolved.event!.revision, record: headRecordOf(resolved), allPosition: position ?? START };
      }
      return null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }
}
