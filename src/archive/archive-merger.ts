import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { RecordedEvent } from '../events/event-store';
import { CatalogSegment, coverChain, listSegments } from './archive-catalog';
import { ArchiveEncryption } from './archive-encryption';
import { ArchiveObjectStore } from './archive-object-store';
import { SegmentHeader } from './segment-header';
import { readSegmentEvents, readSegmentHeader } from './segment-reader';
import { sealSegment } from './segment-writer';

/**
 * The levels segments are merged into: once a window of time has closed, the lower-level
 * segments whose last event falls in it become one segment of the level. With one segment a
 * second, a point in time then reads at most a few day segments, 23 hour segments, 59 minute
 * segments and the last minute's own.
 */
export const MERGE_LEVELS = [
  { level: 1, windowMs: 60_000 },
  { level: 2, windowMs: 3_600_000 },
  { level: 3, windowMs: 86_400_000 },
] as const;

/**
 * Merges small segments into larger ones. Guarantees:
 * 1. Coverage never shrinks: a merged-away segment is deleted only after its replacement was
 *    uploaded AND read back in full (every check of the reader, the same content sha256 and count).
 * 2. Only segments up to the archived position are touched (never a range still being written).
 * 3. Write-once: a merged segment's key names its range and level, which no other object has.
 * Nothing else is ever deleted, so every point the archive reached stays restorable; segments
 * merged away are the only deletions here (retention, which follows the backup retention, is ArchiveRetention's).
 */
export class ArchiveMerger {
  private readonly logger = new Logger('ArchiveMerger');
  /** Headers of objects seen: objects are write-once, so a header never changes under its key. */
  private readonly headers = new Map<string, SegmentHeader>();

  constructor(
    private readonly store: ArchiveObjectStore,
    private readonly encryption: ArchiveEncryption,
    private readonly clock: Clock,
    private readonly tmpDir: string,
  ) {}

  /**
   * One pass over the epoch's closed windows, lowest level first. Answers the objects written and
   * when the next pass has work (the earliest end of a window still open that holds two or more
   * segments to merge), or null: then no pass is needed until new segments are uploaded, so an
   * idle archive makes no requests.
   */
  async merge(epoch: number, archived: number): Promise<{ written: number; nextAt: number | null }> {
    let written = 0;
    let nextAt: number | null = null;
    for (const { level, windowMs } of MERGE_LEVELS) {
      const all = await listSegments(this.store, epoch);
      // From the first position still held: retention may have let the front go (archive-retention.ts).
      const chain = coverChain(all, Math.min(...all.map((s) => s.from))).segments.filter((s) => s.to <= archived);
      await this.dropCovered(all, chain);
      const { closed, opensUntil } = await this.groups(chain, level, windowMs);
      for (const group of closed) {
        await this.mergeGroup(epoch, level, group);
        written += 1;
      }
      if (opensUntil !== null) nextAt = Math.min(nextAt ?? Infinity, opensUntil);
    }
    return { written, nextAt };
  }

  /**
   * Runs of consecutive lower-level segments whose last events fall in one window, two or more:
   * those of closed windows, and when the first still-open one closes.
   */
  private async groups(chain: CatalogSegment[], level: number, windowMs: number): Promise<{ closed: CatalogSegment[][]; opensUntil: number | null }> {
    const now = this.clock.now();
    const closed: CatalogSegment[][] = [];
    let opensUntil: number | null = null;
    let run: CatalogSegment[] = [];
    let runWindow = -1;
    const close = () => {
      const end = (runWindow + 1) * windowMs;
      if (run.length >= 2 && end <= now) closed.push(run);
      else if (run.length >= 2) opensUntil = Math.min(opensUntil ?? Infinity, end);
      run = [];
    };
    for (const s of chain) {
      if (s.level >= level) {
        close();
        continue;
      }
      const window = Math.floor(Date.parse((await this.header(s.key)).toRecordedAt) / windowMs);
      if (window !== runWindow) close();
      runWindow = window;
      run.push(s);
    }
    close();
    return { closed, opensUntil };
  }

  private async mergeGroup(epoch: number, level: number, group: CatalogSegment[]): Promise<void> {
    const store = this.store;
    const encryption = this.encryption;
    const events = async function* (): AsyncGenerator<RecordedEvent> {
      for (const s of group) yield* readSegmentEvents(store, s.key, encryption);
    };
    // The merged segment covers up to its last input's end: it records that input's chain head.
    const lastHead = (await this.header(group[group.length - 1].key)).chainHead;
    // An epoch's first segment keeps saying which history the epoch continues.
    const { continues } = await this.header(group[0].key);
    const sealed = await sealSegment(events(), { epoch, level, chainHeadAt: async () => lastHead, continues }, this.encryption, this.tmpDir);
    if (!sealed) return;
    try {
      await this.store.put(sealed.key, sealed.body());
      let count = 0;
      for await (const _event of readSegmentEvents(this.store, sealed.key, this.encryption)) count += 1;
      const header = await this.header(sealed.key);
      if (count !== sealed.header.count || header.sha256 !== sealed.header.sha256) throw new Error(`merged segment ${sealed.key} does not read back as written`);
    } finally {
      await sealed.discard();
    }
    for (const s of group) await this.store.delete(s.key);
    this.logger.debug(`merged ${group.length} segments into ${sealed.key}`);
  }

  /** Segments outside the chain that one chain segment covers whole (left by a merge interrupted before its deletions). */
  private async dropCovered(all: CatalogSegment[], chain: CatalogSegment[]): Promise<void> {
    const inChain = new Set(chain.map((s) => s.key));
    for (const s of all) {
      if (!inChain.has(s.key) && chain.some((c) => c.from <= s.from && c.to >= s.to)) await this.store.delete(s.key);
    }
  }

  private async header(key: string): Promise<SegmentHeader> {
    let header = this.headers.get(key);
    if (!header) this.headers.set(key, (header = await readSegmentHeader(this.store, key)));
    return header;
  }
}
