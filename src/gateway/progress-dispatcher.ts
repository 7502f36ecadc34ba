import { JobView } from '../jobs/job';
import { canSee } from './progress-access';
import { STATE_EVENT, finalEventOf, liveEventOf } from './progress-protocol';
import { roomsOf } from './progress-rooms';
import { ProgressNamespace, ProgressSocket } from './progress-socket';

/**
 * Delivers each job view to this instance's sockets whose subscriptions cover it. Guarantees: at
 * most one packet per socket per view, however many of its rooms match (a socket subscribed by jobId
 * and by kind sees each update, and the final, once); only viewers who may see the job get it; the
 * socket's ledger drops stale views and repeated finals and holds views for a subscribe still being
 * answered. The view is encoded once for all its recipients, and the emit stays on this instance:
 * peers deliver to their own sockets (see ProgressPeers), so nothing is fanned out twice.
 */
export class ProgressDispatcher {
  constructor(private readonly namespace: ProgressNamespace) {}

  deliver(job: JobView): void {
    const rooms = roomsOf(job);
    const first: string[] = [];
    const next: string[] = [];
    for (const socket of this.socketsIn(rooms)) {
      if (!canSee(socket.data.viewer, job)) continue;
      const { ledger } = socket.data;
      if (ledger.hold(rooms.filter((room) => socket.rooms.has(room)), job)) continue;
      const admitted = ledger.admitLive(job);
      if (admitted === 'first') first.push(socket.id);
      else if (admitted === 'next') next.push(socket.id);
    }
    // An empty target list would mean every socket of the namespace, hence the guards.
    if (first.length > 0) {
      this.namespace.local.to(first).emit(STATE_EVENT, job);
      const final = finalEventOf(job);
      if (final) this.namespace.local.to(first).emit(final, job);
    }
    if (next.length > 0) this.namespace.local.to(next).emit(liveEventOf(job), job);
  }

  private *socketsIn(rooms: readonly string[]): Iterable<ProgressSocket> {
    const ids = new Set<string>();
    for (const room of rooms) for (const id of this.namespace.adapter.rooms.get(room) ?? []) ids.add(id);
    for (const id of ids) {
      const socket = this.namespace.sockets.get(id);
      if (socket) yield socket;
    }
  }
}
