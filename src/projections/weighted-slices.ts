import { RecordedEvent } from '../events/event-store';

/** About how many rows applying the event writes: bulk events count their items. */
export function eventWeight(event: RecordedEvent): number {
  switch (event.type) {
    case 'LocationsAdded':
      return event.data.locations.length;
    case 'LocationsRemoved':
      return event.data.locationIds.length;
    default:
      return 1;
  }
}

/** Splits events, in order, into runs whose weight stays under `maxWeight` (a single heavier event is a run of its own). */
export function* weightedSlices(events: RecordedEvent[], maxWeight: number): Iterable<RecordedEvent[]> {
  let start = 0;
  let weight = 0;
  for (let i = 0; i < events.length; i++) {
    const w = eventWeight(events[i]);
    if (i > start && weight + w > maxWeight) {
      yield events.slice(start, i);
      start = i;
      weight = 0;
    }
    weight += w;
  }
  if (start < events.length) yield events.slice(start);
}
