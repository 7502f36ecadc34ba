import { EventOf } from './events';

/**
 * The event that names a log position ("before I imported that file"). A user's point is its own
 * event in the `restore-points` stream; an automatic one travels inside the append it precedes (an
 * import, a restore, a compaction), so the position it names is exactly the head that append found.
 */
export function restorePointCreated(restorePointId: string, name: string, position: number, automatic: boolean, description = ''): EventOf<'RestorePointCreated'> {
  return { type: 'RestorePointCreated', data: { restorePointId, name, description, position, automatic } };
}
