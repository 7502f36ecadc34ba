import { ExtendedError, Namespace, Socket } from 'socket.io';
import { SocketAccess } from '../auth/socket-access';
import { JobKind, JobView } from '../jobs/job';
import { DeliveryLedger } from './delivery-ledger';
import { ProgressViewer, authenticateHandshake } from './progress-access';
import { AckCallback, ProgressServerEvents } from './progress-protocol';
import { toFailure } from './gateway-errors';

export interface ProgressClientEvents {
  subscribe: (payload: unknown, ack?: AckCallback) => void;
  unsubscribe: (payload: unknown, ack?: AckCallback) => void;
}

/** Messages between instances of this service over the Socket.IO adapter (see ProgressPeers). */
export interface ProgressPeerEvents {
  'job.update': (job: JobView) => void;
  'job.find': (jobId: string, reply: (job: JobView | null) => void) => void;
  'jobs.active': (kind: JobKind | null, reply: (jobs: JobView[]) => void) => void;
}

export interface ProgressSocketData {
  viewer: ProgressViewer;
  ledger: DeliveryLedger;
}

export type ProgressNamespace = Namespace<ProgressClientEvents, ProgressServerEvents, ProgressPeerEvents, ProgressSocketData>;
export type ProgressSocket = Socket<ProgressClientEvents, ProgressServerEvents, ProgressPeerEvents, ProgressSocketData>;

/**
 * Namespace middleware, run once per connection before it is accepted: the handshake check decides
 * who connects, and the socket gets its own delivery ledger. A refused connection reaches the client
 * as `connect_error` whose `data` is `{code, message}`.
 */
export function admitConnection(access: SocketAccess): (socket: ProgressSocket, next: (error?: ExtendedError) => void) => void {
  return (socket, next) => {
    authenticateHandshake(access, socket.handshake).then(
      (viewer) => {
        socket.data.viewer = viewer;
        socket.data.ledger = new DeliveryLedger();
        next();
      },
      (error: unknown) => {
        const failure = toFailure(error);
        next(Object.assign(new Error(failure.message), { data: failure }));
      },
    );
  };
}
