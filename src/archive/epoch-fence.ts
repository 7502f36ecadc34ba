import { Clock } from '../common/clock';
import { ArchiveObjectStore } from './archive-object-store';
import { ARCHIVE_PREFIX, claimEpochOf, epochPrefix, parseSegmentKey } from './segment-key';

/**
 * Whether a newer epoch superseded a writer's. Epochs are claimed one past every epoch the store
 * holds (Archiver.ensureEpoch), so any epoch newer than E implies a key under E + 1: one LIST of
 * that prefix answers, whatever the store's size. Once superseded, always superseded (the answer
 * is kept; the newest epoch is looked up once, for health). The store offers no conditional
 * writes, so this narrows the window in which a stale writer uploads to one LIST→PUT round; what it
 * uploads in that window is never read as history, because readers choose the newest epoch.
 */
export class EpochFence {
  superseded: { epoch: number; seenAt: string } | null = null;
  private checkedAt = -Infinity;

  constructor(
    private readonly store: ArchiveObjectStore,
    private readonly clock: Clock,
    private readonly everyMs: number,
  ) {}

  /** Whether an idle writer should ask again. */
  due(): boolean {
    return this.clock.now() - this.checkedAt >= this.everyMs;
  }

  /** The newest epoch when one is newer than `epoch`, else null. */
  async check(epoch: number): Promise<number | null> {
    if (this.superseded) return this.superseded.epoch;
    const next = await this.store.list(epochPrefix(epoch + 1));
    this.checkedAt = this.clock.now();
    if (next.length === 0) return null;
    const keys = (await this.store.list(ARCHIVE_PREFIX)).map((o) => o.key);
    const newest = Math.max(epoch + 1, ...keys.map((k) => parseSegmentKey(k)?.epoch ?? claimEpochOf(k) ?? 0));
    this.superseded = { epoch: newest, seenAt: new Date(this.clock.now()).toISOString() };
    return newest;
  }
}
