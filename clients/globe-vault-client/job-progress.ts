import { io, Socket } from 'socket.io-client';
import { GlobeVaultError, unreachable } from './errors';
import { FINAL_JOB_STATES, JobView } from './responses';

/** The gateway's wire names (src/gateway/progress-protocol.ts), repeated: the client does not import the server. */
const NAMESPACE = '/progress';
const JOB_EVENTS = ['job.state', 'job.progress', 'job.completed', 'job.failed', 'job.cancelled'] as const;

export type JobListener = (job: JobView) => void;
type Entry = { onJob: JobListener; onError: (error: GlobeVaultError) => void };

export interface ProgressConnection {
  url: string;
  token?: string;
  headers: Record<string, string>;
}

/**
 * Job progress over the gateway, on one socket per client opened on first use and closed when the
 * last listener goes. Guarantees: a listener sees the job's current state first (the answer to
 * the subscribe, so a job that already ended is reported at once), then its live changes, and its
 * final state exactly once, after which it is removed. After a reconnect every job still followed
 * is subscribed again, and the answer is its state then, so an ending missed while away is not lost.
 */
export class JobProgress {
  private socket: Socket | null = null;
  private readonly listeners = new Map<string, Set<Entry>>();

  constructor(private readonly connection: ProgressConnection) {}

  /** Calls `onJob` with every view of the job until it ends; returns a function that stops listening. */
  follow(jobId: string, onJob: JobListener, onError: (error: GlobeVaultError) => void = () => undefined): () => void {
    const entry: Entry = { onJob, onError };
    const entries = this.listeners.get(jobId) ?? new Set<Entry>();
    const fresh = entries.size === 0;
    entries.add(entry);
    this.listeners.set(jobId, entries);
    const socket = this.open();
    if (fresh && socket.connected) this.subscribe(jobId);
    return () => this.drop(jobId, entry);
  }

  /** Resolves with the job once it completed; a failed or cancelled job rejects with its own error code. */
  waitFor(jobId: string, onProgress?: JobListener): Promise<JobView> {
    return new Promise((resolve, reject) => {
      this.follow(
        jobId,
        (job) => {
          onProgress?.(job);
          if (job.state === 'completed') resolve(job);
          else if (FINAL_JOB_STATES.includes(job.state)) reject(jobError(job));
        },
        reject,
      );
    });
  }

  close(): void {
    this.listeners.clear();
    this.socket?.disconnect();
    this.socket = null;
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    const { url, token, headers } = this.connection;
    const socket = io(`${url}${NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnectionAttempts: 5, auth: token ? { token } : {}, extraHeaders: headers });
    for (const event of JOB_EVENTS) socket.on(event, (job: JobView) => this.deliver(job));
    socket.on('connect', () => {
      for (const jobId of this.listeners.keys()) this.subscribe(jobId);
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      const code = error.data?.code;
      if (code) this.failAll(new GlobeVaultError(401, code, error.message));
      else if (!socket.active) this.failAll(unreachable(url, error));
    });
    socket.io.on('reconnect_failed', () => this.failAll(unreachable(url, new Error('the progress socket could not reconnect'))));
    this.socket = socket;
    return socket;
  }

  private subscribe(jobId: string): void {
    this.socket
      ?.timeout(10_000)
      .emitWithAck('subscribe', { jobId })
      .then((ack: { ok: boolean; code?: string; message?: string }) => {
        if (!ack.ok) this.fail(jobId, new GlobeVaultError(ack.code === 'JOB.NOT_FOUND' ? 404 : 400, ack.code ?? 'PROGRESS.REFUSED', ack.message ?? 'subscription refused'));
      })
      // No ack within the timeout: the socket dropped; the resubscribe on `connect` covers it.
      .catch(() => undefined);
  }

  private deliver(job: JobView): void {
    const entries = this.listeners.get(job.id);
    if (!entries) return;
    const final = FINAL_JOB_STATES.includes(job.state);
    for (const entry of [...entries]) {
      if (final) this.drop(job.id, entry);
      entry.onJob(job);
    }
  }

  private fail(jobId: string, error: GlobeVaultError): void {
    for (const entry of [...(this.listeners.get(jobId) ?? [])]) {
      this.drop(jobId, entry);
      entry.onError(error);
    }
  }

  private failAll(error: GlobeVaultError): void {
    for (const jobId of [...this.listeners.keys()]) this.fail(jobId, error);
  }

  private drop(jobId: string, entry: Entry): void {
    const entries = this.listeners.get(jobId);
    if (!entries?.delete(entry) || entries.size > 0) return;
    this.listeners.delete(jobId);
    this.socket?.emit('unsubscribe', { jobId });
    if (this.listeners.size === 0) this.close();
  }
}

/** A failed or cancelled job as an error: the job's own code, its id in the details. */
export function jobError(job: JobView): GlobeVaultError {
  const code = job.error?.code ?? (job.state === 'cancelled' ? 'JOB.CANCELLED' : 'JOB.FAILED');
  return new GlobeVaultError(0, code, job.error?.message ?? `the ${job.kind} job ${job.state}`, { jobId: job.id, details: job.error?.details });
}
