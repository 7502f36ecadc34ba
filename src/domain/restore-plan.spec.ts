import { ConflictStrategy } from './restore';
import { isConflict, LiveChanges, Overrides, takesTarget } from './restore-plan';

/** The live state changed loc-1 and the theme since the target, nothing else. */
const since: NonNullable<LiveChanges> & { deletedDatasets: Set<string> } = {
  datasets: new Set(),
  locations: new Set(['loc-1']),
  configurations: new Set(),
  deletedDatasets: new Set(),
  settings: new Set(['theme']),
};
const OLDER = '2020-01-01T00:00:00.000Z';
const NEWER = '2024-01-01T00:00:00.000Z';

describe('the conflict rule: conflict = changed on both sides since the target', () => {
  // given what the live state changed since the target, when an item differs, then ...
  const rows: [string, 'location' | 'settings' | 'dataset', string, LiveChanges, boolean][] = [
    ['a location changed live since the target', 'location', 'loc-1', since, true],
    ['a location changed only on the target side', 'location', 'loc-2', since, false],
    ['a settings key changed live since the target', 'settings', 'theme', since, true],
    ['a settings key changed only on the target side', 'settings', 'rotationSpeed', since, false],
    ['a dataset the live state never touched since', 'dataset', 'd-1', since, false],
    ['anything, when the log cannot say what changed (a file from elsewhere)', 'location', 'loc-2', null, true],
  ];
  it.each(rows)('given %s → conflict: %s', (_given, kind, id, changes, conflict) => {
    expect(isConflict(kind, id, changes)).toBe(conflict);
  });
});

describe('takesTarget: what a restore writes for an item that differs', () => {
  type Row = [string, { conflict: boolean; target: string | null; current: string | null }, ConflictStrategy, Overrides, boolean];
  const item = (r: Row[1]) => ({ key: 'location:x', conflict: r.conflict, targetUpdatedAt: r.target, currentUpdatedAt: r.current });
  // given the item, when the restore runs with the strategy and overrides, then the target is written (true) or the current kept (false)
  const rows: Row[] = [
    ['a conflict', { conflict: true, target: OLDER, current: NEWER }, 'target-wins', {}, true],
    ['a conflict', { conflict: true, target: OLDER, current: NEWER }, 'keep-current', {}, false],
    ['a conflict, current newer', { conflict: true, target: OLDER, current: NEWER }, 'newest-wins', {}, false],
    ['a conflict, target newer', { conflict: true, target: NEWER, current: OLDER }, 'newest-wins', {}, true],
    ['a conflict, no target time', { conflict: true, target: null, current: null }, 'newest-wins', {}, false],
    ['a conflict (fail was refused before: if it runs, the target)', { conflict: true, target: OLDER, current: NEWER }, 'fail', {}, true],
    ['a conflict kept by its own choice', { conflict: true, target: NEWER, current: OLDER }, 'target-wins', { 'location:x': 'current' }, false],
    ['a conflict restored by its own choice', { conflict: true, target: OLDER, current: NEWER }, 'keep-current', { 'location:x': 'target' }, true],
    ['a plain change', { conflict: false, target: OLDER, current: NEWER }, 'keep-current', {}, true],
    ['a plain change, current newer', { conflict: false, target: OLDER, current: NEWER }, 'newest-wins', {}, true],
    ['a plain change kept by its own choice', { conflict: false, target: OLDER, current: NEWER }, 'target-wins', { 'location:x': 'current' }, false],
    ['a plain change, another item chosen', { conflict: false, target: OLDER, current: NEWER }, 'keep-current', { 'location:y': 'current' }, true],
  ];
  it.each(rows)('given %s (%j), when restored with %s and overrides %j → target written: %s', (_given, r, strategy, overrides, written) => {
    expect(takesTarget(item(r), strategy, overrides)).toBe(written);
  });
});
