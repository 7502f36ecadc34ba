import { Socket } from 'socket.io';
import { SocketAccess } from '../auth/socket-access';
import { JobView } from '../jobs/job';

/** Who is on the other end of a progress socket, as its handshake established. */
export interface ProgressViewer {
  /** `token:<name>`, or `local` for the token-free loopback user. */
  readonly actor: string;
}

/**
 * The one handshake check: the token (`handshake.auth.token` or the Authorization header) as the
 * HTTP API checks it (src/auth/). A refusal throws an AppError, which the client receives as
 * `connect_error` with `data: {code, message}`. Host and Origin were checked before, by the engine.
 */
export async function authenticateHandshake(access: SocketAccess, handshake: Socket['handshake']): Promise<ProgressViewer> {
  const principal = await access.authenticate(handshake);
  return { actor: principal.actor ?? 'local' };
}

/**
 * Whether `viewer` may receive `job`: every view the gateway sends passes through here, live or as
 * the answer to a subscribe. Every role may read every job (viewer is the weakest role, and
 * `GET /api/jobs` is a viewer route), so every authenticated socket sees them all; narrow it here
 * if jobs ever carry data a viewer may not read.
 */
export function canSee(_viewer: ProgressViewer, _job: JobView): boolean {
  return true;
}
