import { Socket } from 'socket.io';
import { JobView } from '../jobs/job';

/** Who is on the other end of a progress socket, as its handshake established. */
export interface ProgressViewer {
  readonly actor: string;
}

/**
 * The one handshake check. Until the auth issue lands every connection is accepted as an anonymous
 * viewer, as the HTTP API accepts every request; that issue replaces this body (a token from
 * `handshake.auth`, its roles) and refuses a connection by throwing an AppError, which the client
 * receives as `connect_error` with `data: {code, message}`.
 */
export function authenticateHandshake(_handshake: Socket['handshake']): ProgressViewer {
  return { actor: 'anonymous' };
}

/**
 * Whether `viewer` may receive `job`: every view the gateway sends passes through here, live or as
 * the answer to a subscribe. Everyone may see every job until auth exists; the auth issue narrows it
 * (e.g. own jobs, or all for admins) so that no client receives another user's private job data.
 */
export function canSee(_viewer: ProgressViewer, _job: JobView): boolean {
  return true;
}
