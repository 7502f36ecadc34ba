import { AppError } from '../common/app-error';
import { RecordedEvent } from '../events/event-store';
import { CatalogSegment, coverChain, epochsOf, listSegments } from './archive-catalog';
import { ArchiveEncryption } from './archive-encryption';
import { archiveEmpty, archiveGap } from './archive-errors';
import { ArchiveObjectStore } from './archive-object-store';
import { readSegmentEvents, readSegmentHeader } from './segment-reader';

/** A point in the archive: a position and the time of its event. */
export interface ArchivePoint {
  position: number;
  recordedAt: string | null;
}

/** Where an archived history up to a target comes from: one epoch's chain of segments. */
export interface ArchiveSource {
  storage: string;
  epoch: number;
  chain: CatalogSegment[];
  /** A hole after the chain (later segments exist): the chain's end is the newest point reachable. */
  gapAt: number | null;
}

/** What reading a history read, for previews and progress. */
export interface ArchiveReading {
  objects: { key: string; bytes: number; from: number; to: number }[];
  bytes: number;
  /** The last event the history ended on (the target's position), and the newest point read and verified. */
  target: ArchivePoint;
  newestVerified: ArchivePoint;
}

export type ArchiveTarget = { at: string } | { position: number };

/**
 * Histories out of the archive, for a restore from the storage alone. An epoch is self-contained
 * (its segments start at position 1); the one chosen for a target is the newest whose history
 * reaches back to it: the current line of history (after a restore, the instance archives under a
 * new epoch, and that is what "the data at T" means from then on). Positions in one epoch are read
 * through the fewest objects that cover them (coverChain), whatever merges left beside each other.
 */
export class ArchiveHistory {
  constructor(
    private readonly store: ArchiveObjectStore,
    private readonly encryption: ArchiveEncryption,
  ) {}

  describe(): string {
    return this.store.describe();
  }

  /** The epoch and chain a target is read from. Reads one header per epoch at most. */
  async sourceFor(target: ArchiveTarget): Promise<ArchiveSource> {
    const all = await listSegments(this.store);
    const storage = this.store.describe();
    if (all.length === 0) throw archiveEmpty(storage);
    let fallback: ArchiveSource | null = null;
    for (const epoch of epochsOf(all).reverse()) {
      const { segments: chain, gapAt } = coverChain(all.filter((s) => s.epoch === epoch), 1);
      if (chain.length === 0) continue;
      const source = { storage, epoch, chain, gapAt };
      fallback ??= source;
      if ('position' in target || Date.parse((await readSegmentHeader(this.store, chain[0].key)).fromRecordedAt) <= Date.parse(target.at)) return source;
    }
    if (!fallback) throw archiveGap(0, 1, { storage, reason: 'no epoch of the archive starts at position 1' });
    return fallback;
  }

  /**
   * The events from position 1 up to the target (recordedAt ≤ at, or position ≤ position), read
   * and verified object by object. Every object read is read to its end and checked, and the
   * generator completes only if the whole history up to the target was there and sound: a hole
   * (ARCHIVE.GAP) or a damaged object (ARCHIVE.CHECKSUM_MISMATCH) makes it throw, with the newest
   * verified point in the error's details, so an adoptHistory fed by it commits nothing.
   * `expectPosition`: the target's position must be exactly this one (what a preview promised).
   */
  async *events(source: ArchiveSource, target: ArchiveTarget, reading: ArchiveReading, expectPosition?: number): AsyncGenerator<RecordedEvent> {
    const limit = 'position' in target ? target.position : Infinity;
    const until = 'at' in target ? Date.parse(target.at) : Infinity;
    let reached = false;
    for (const segment of source.chain) {
      let last: RecordedEvent | null = null;
      let beyond = false;
      try {
        for await (const event of readSegmentEvents(this.store, segment.key, this.encryption, { startsBy: until })) {
          last = event;
          if (event.position > limit || Date.parse(event.recordedAt) > until) beyond = true;
          else {
            reading.target = { position: event.position, recordedAt: event.recordedAt };
            yield event;
          }
        }
      } catch (error) {
        throw withNewest(error, reading.newestVerified);
      }
      // Nothing read: the segment starts after the target time.
      if (!last) reached = true;
      else {
        reading.objects.push({ key: segment.key, bytes: segment.size, from: segment.from, to: segment.to });
        reading.bytes += segment.size;
        reading.newestVerified = { position: segment.to, recordedAt: last.recordedAt };
        reached = beyond || segment.to >= limit;
      }
      if (reached) break;
    }
    const wanted = Math.min(limit, expectPosition ?? Infinity);
    if (!reached && source.gapAt !== null) {
      throw archiveGap(reading.newestVerified.position, source.gapAt, { storage: source.storage, epoch: source.epoch, newestReachable: reading.newestVerified });
    }
    if (wanted !== Infinity && reading.target.position < wanted) {
      throw archiveGap(reading.target.position, reading.target.position + 1, { storage: source.storage, epoch: source.epoch, newestReachable: reading.newestVerified });
    }
    if (expectPosition !== undefined && reading.target.position !== expectPosition) {
      throw new AppError('RESTORE.PREVIEW_STALE', `the archive now answers position ${reading.target.position} for this target, the preview ${expectPosition}`, 409);
    }
  }
}

export const emptyReading = (): ArchiveReading => ({ objects: [], bytes: 0, target: { position: 0, recordedAt: null }, newestVerified: { position: 0, recordedAt: null } });

function withNewest(error: unknown, newest: ArchivePoint): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(error.code, error.message, error.status, { ...(error.details as object), newestReachable: newest });
}
