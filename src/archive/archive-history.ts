import { AppError } from '../common/app-error';
import { ChainHead, GENESIS_HASH, eventChainHasher } from '../events/event-chain';
import { RecordedEvent } from '../events/event-store';
import { CatalogSegment, coverChain, epochsOf, listSegments } from './archive-catalog';
import { ArchiveEncryption } from './archive-encryption';
import { archiveChainMismatch, archiveEmpty, archiveGap } from './archive-errors';
import { ArchiveObjectStore } from './archive-object-store';
import { SegmentHeader } from './segment-header';
import { readSegmentEvents, readSegmentHeader } from './segment-reader';

/** A point in the archive: a position and the time of its event. */
export interface ArchivePoint {
  position: number;
  recordedAt: string | null;
}

/** A point of the history together with the chain head there: what an archived chain continues. */
export type ChainPoint = ArchivePoint & ChainHead;

const GENESIS: ChainPoint = { position: 0, recordedAt: null, hash: GENESIS_HASH };

/**
 * Where an archived history up to a target comes from: one epoch's chain of segments, from the
 * position after `after` (1 for a history read whole; a backup's head + 1 when the backup holds
 * what comes before).
 */
export interface ArchiveSource {
  storage: string;
  epoch: number;
  after: ChainPoint;
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
      const source = { storage, epoch, after: GENESIS, chain, gapAt };
      fallback ??= source;
      if ('position' in target || Date.parse((await readSegmentHeader(this.store, chain[0].key)).fromRecordedAt) <= Date.parse(target.at)) return source;
    }
    if (!fallback) throw archiveGap(0, 1, { storage, reason: 'no epoch of the archive starts at position 1' });
    return fallback;
  }

  /**
   * The epochs, newest first, whose segments hold the positions after `after` (a backup's head),
   * each with the fewest objects that cover them from there. Which of them continues that history
   * is for `continues` to say. Empty when no epoch holds anything after it.
   */
  async sourcesAfter(after: ChainPoint): Promise<ArchiveSource[]> {
    const all = await listSegments(this.store);
    const storage = this.store.describe();
    const sources: ArchiveSource[] = [];
    for (const epoch of epochsOf(all).reverse()) {
      const { segments: chain, gapAt } = coverChain(all.filter((s) => s.epoch === epoch), after.position + 1);
      // An epoch with segments after a hole there is a source too: reading it says where the hole is.
      if (chain.length > 0 || gapAt !== null) sources.push({ storage, epoch, after, chain, gapAt });
    }
    return sources;
  }

  /**
   * Whether the source's first object continues the hash chain of the history before it (read and
   * verified whole): false for another line of history (an epoch another instance wrote from a
   * different past). A damaged object throws, as any read of it does.
   */
  async continues(source: ArchiveSource): Promise<boolean> {
    const first = source.chain[0];
    if (!first) return true;
    const chain = new ChainCheck(source.after);
    let header: SegmentHeader | null = null;
    for await (const event of readSegmentEvents(this.store, first.key, this.encryption, { fromPosition: source.after.position + 1, onVerified: (h) => (header = h) })) chain.add(event);
    return chain.matches(header!);
  }

  /**
   * The events from position 1 up to the target (recordedAt ≤ at, or position ≤ position), read
   * and verified object by object. Every object read is read to its end and checked, and the
   * generator completes only if the whole history up to the target was there and sound: a hole
   * (ARCHIVE.GAP) or a damaged object (ARCHIVE.CHECKSUM_MISMATCH) makes it throw, with the newest
   * verified point in the error's details, so an adoptHistory fed by it commits nothing.
   * The events are hashed along the chain from `source.after` and checked against each object's
   * chain head (ARCHIVE.CHAIN_MISMATCH naming the object): the history read is one unbroken chain.
   * A source after a backup's head yields the events after it only.
   * `expectPosition`: the target's position must be exactly this one (what a preview promised).
   */
  async *events(source: ArchiveSource, target: ArchiveTarget, reading: ArchiveReading, expectPosition?: number): AsyncGenerator<RecordedEvent> {
    const limit = 'position' in target ? target.position : Infinity;
    const until = 'at' in target ? Date.parse(target.at) : Infinity;
    let reached = false;
    const chain = new ChainCheck(source.after);
    if (reading.target.position < source.after.position) reading.target = reading.newestVerified = { position: source.after.position, recordedAt: source.after.recordedAt };
    for (const segment of source.chain) {
      let last: RecordedEvent | null = null;
      let beyond = false;
      let header: SegmentHeader | null = null;
      try {
        const window = { startsBy: until, fromPosition: source.after.position + 1, onVerified: (h: SegmentHeader) => (header = h) };
        for await (const event of readSegmentEvents(this.store, segment.key, this.encryption, window)) {
          chain.add(event);
          last = event;
          if (event.position > limit || Date.parse(event.recordedAt) > until) beyond = true;
          else {
            reading.target = { position: event.position, recordedAt: event.recordedAt };
            yield event;
          }
        }
        if (header && !chain.matches(header)) throw archiveChainMismatch(segment.key, (header as SegmentHeader).to, { storage: source.storage, epoch: source.epoch });
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

/**
 * The hash chain recomputed along the events read (events/event-chain.ts, over the text the log
 * stores), from a known head; an object's header records the head at its last position.
 */
class ChainCheck {
  private static readonly hasher = eventChainHasher();
  private head: ChainHead;

  constructor(from: ChainHead) {
    this.head = { position: from.position, hash: from.hash };
  }

  add(e: RecordedEvent): void {
    if (e.position !== this.head.position + 1) return;
    const stored = { ...e, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata), recordedAt: Date.parse(e.recordedAt) };
    this.head = { position: e.position, hash: ChainCheck.hasher.hash(this.head.hash, stored) };
  }

  /** False only when the header records a chain head at a position hashed here, and it differs (older segments record none). */
  matches(header: SegmentHeader): boolean {
    return header.chainHead === null || header.to !== this.head.position || header.chainHead === this.head.hash;
  }
}

export const emptyReading = (): ArchiveReading => ({ objects: [], bytes: 0, target: { position: 0, recordedAt: null }, newestVerified: { position: 0, recordedAt: null } });

function withNewest(error: unknown, newest: ArchivePoint): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(error.code, error.message, error.status, { ...(error.details as object), newestReachable: newest });
}
