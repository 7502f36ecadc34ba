import { auditPage } from '../api/recovery';
import { type EventGroup, groupEvents, learnNames } from './describeEvents';
import { useVersion } from '../hooks/dataChanges';
import { useLoad } from '../hooks/useLoad';

/** How much history the timeline spans: the most recent events, grouped. */
const TIMELINE_EVENTS = 1000;

/** A moment on the timeline: the state just after a group of events. */
export interface TimelineStop {
  position: number;
  at: string;
  group: EventGroup;
}

/**
 * The stops of the time slider, oldest first: one per group of events written together (an
 * import's chunks are one stop, a restore is one stop), at the position of its last event.
 */
export function useTimeline() {
  const version = useVersion('audit');
  return useLoad(async () => {
    const page = await auditPage({ order: 'desc', limit: TIMELINE_EVENTS });
    const events = [...page.items].reverse();
    const groups = groupEvents(events, learnNames(events));
    const stops: TimelineStop[] = groups.map((group) => {
      const last = group.events[group.events.length - 1];
      return { position: last.position, at: last.recordedAt, group };
    });
    return { stops, truncated: page.next !== null };
  }, [version]);
}
