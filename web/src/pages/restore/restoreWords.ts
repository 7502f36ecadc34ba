import type { RestoreRecord } from '../../api/recovery';
import type { RestorePoint, RestoreTarget } from '../../api/types';
import { formatTime } from '../../components/format';
import { countSentences } from '../../components/restoreCounts';
import type { TimelineStop } from '../../timeline/useTimeline';

/** What the screens know to name a moment: the timeline's stops, the restores and the restore points. */
export interface Known {
  stops: TimelineStop[];
  restores: RestoreRecord[];
  points: RestorePoint[];
}

const lowerFirst = (s: string) => (s ? s[0].toLowerCase() + s.slice(1) : s);
const clock = (iso: string) => formatTime(iso);

/**
 * The state at log position `position` in words: before what happened next ("before dataset
 * “Cities” deleted by alice, 8:37:02"), else just after what happened last; null when the timeline
 * does not reach that far back.
 */
export function momentWords(position: number, known: Known): string | null {
  const next = known.stops.find((s) => s.position > position);
  if (next) {
    const actor = next.group.events[0]?.metadata.actor;
    return `before ${lowerFirst(next.group.summary)}${actor && next.group.kind !== 'restore' ? ` by ${actor}` : ''}, ${clock(next.group.events[0]?.recordedAt ?? next.at)}`;
  }
  const last = [...known.stops].reverse().find((s) => s.position <= position);
  return last ? `just after ${lowerFirst(last.group.summary)}, ${clock(last.at)}` : null;
}

/** "the restore of 8:37 (1 dataset added, …)" */
export function restoreName(r: RestoreRecord): string {
  const what = r.counts ? countSentences(r.counts).join(', ') || 'nothing changed' : '';
  return `the ${r.undoOf ? 'undo' : 'restore'} of ${clock(r.startedAt)}${what ? ` (${what})` : ''}`;
}

/** A restore point's name, with the automatic "Before restore <id>" told by the restore it stands before. */
export function pointName(p: RestorePoint, known: Known): string {
  const id = /^Before restore (.+)$/.exec(p.name)?.[1];
  const restore = id ? known.restores.find((r) => r.id === id) : undefined;
  if (id) return `Before ${restore ? restoreName(restore) : 'a restore'}`;
  return p.name;
}

/** Where a restore went back to, in words. */
export function targetWords(target: RestoreTarget, known: Known): string {
  if ('position' in target) return momentWords(target.position, known) ?? `an earlier moment (${target.position} events in)`;
  if ('at' in target) return `the state at ${clock(target.at)}`;
  if ('backupId' in target) return 'a backup';
  const point = known.points.find((p) => p.id === target.restorePointId);
  return point ? `the restore point “${pointName(point, known)}” (${clock(point.createdAt)})` : 'a restore point';
}

/** A restore as a title: "Restore to before …", "Undo of the restore of 8:37 (…)". */
export function restoreTitle(r: RestoreRecord, known: Known): string {
  if (r.undoOf) {
    const undone = known.restores.find((x) => x.id === r.undoOf);
    return `Undo of ${undone ? restoreName(undone) : 'an earlier restore'}`;
  }
  return `Restore to ${targetWords(r.target, known)}`;
}
