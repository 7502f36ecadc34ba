import { io, type Socket } from 'socket.io-client';
import { currentToken, tokenNeeded } from '../api/accessToken';
import type { JobView } from '../api/types';

/**
 * The page's one connection to the progress gateway (namespace /progress). Every job event
 * (`job.state`, `job.progress`, `job.completed|failed|cancelled`) carries a JobView and is handed to
 * the listeners of that job, and to the listeners of all jobs. Subscriptions are repeated after a
 * reconnect, so a dropped connection resumes with the job's current state.
 */
const JOB_EVENTS = ['job.state', 'job.progress', 'job.completed', 'job.failed', 'job.cancelled'] as const;
type Listener = (job: JobView) => void;
type Subscription = { jobId: string } | Record<string, never>;

let socket: Socket | null = null;
const listeners = new Map<string, Set<Listener>>();
const subscriptions = new Map<string, Subscription>();

function connection(): Socket {
  if (socket) return socket;
  // auth as a function: read again at every (re)connection, so a token entered later is used.
  socket = io('/progress', { transports: ['websocket', 'polling'], auth: (send) => send(currentToken() ? { token: currentToken() } : {}) });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === 'AUTH.UNAUTHENTICATED') tokenNeeded();
  });
  for (const event of JOB_EVENTS) {
    socket.on(event, (job: JobView) => {
      listeners.get(job.id)?.forEach((l) => l(job));
      listeners.get('*')?.forEach((l) => l(job));
    });
  }
  socket.on('connect', () => subscriptions.forEach((s) => socket?.emit('subscribe', s)));
  return socket;
}

export const progressConnected = (): boolean => socket?.connected ?? false;

/** Listens to one job (`jobId`) or every job (`'*'`); returns the function that stops listening. */
export function watchJobs(jobId: string | '*', listener: Listener): () => void {
  const s = connection();
  const set = listeners.get(jobId) ?? new Set();
  set.add(listener);
  listeners.set(jobId, set);
  const subscription: Subscription = jobId === '*' ? {} : { jobId };
  if (set.size === 1) {
    subscriptions.set(jobId, subscription);
    if (s.connected) s.emit('subscribe', subscription);
  }
  return () => {
    set.delete(listener);
    if (set.size > 0) return;
    listeners.delete(jobId);
    subscriptions.delete(jobId);
    if (s.connected) s.emit('unsubscribe', subscription);
  };
}
