import { SingleBar } from 'cli-progress';
import { io } from 'socket.io-client';
import { FINAL_EVENTS, PROGRESS_NAMESPACE, STATE_EVENT } from '../gateway/progress-protocol';
import { FINAL_JOB_STATES, JobView } from '../jobs/job';
import { ApiClient, unreachable } from './client';
import { CliError, EXIT, Output } from './output';

/** Shows a job's progress: a live bar on a terminal, one plain line per phase otherwise (logs, CI). */
export class ProgressView {
  private bar: SingleBar | null = null;
  private phase = '';

  constructor(
    private readonly out: Output,
    private readonly tty = Boolean(process.stdout.isTTY && process.stderr.isTTY) && !out.json,
  ) {}

  show(job: JobView): void {
    const total = job.total ?? 0;
    if (job.phase !== this.phase) {
      this.phase = job.phase;
      this.bar?.stop();
      this.bar = null;
      if (!this.tty) this.out.note(`${job.kind} ${job.id.slice(0, 8)}: ${job.phase || job.state}${job.total !== null ? ` (${job.done}/${job.total})` : ''}`);
    }
    if (!this.tty) return;
    if (!this.bar) {
      this.bar = new SingleBar({ format: `${job.kind}: {phase} [{bar}] {percentage}% {value}/{total}`, hideCursor: true, clearOnComplete: false }, undefined);
      this.bar.start(total, job.done, { phase: job.phase || job.state });
    }
    this.bar.setTotal(total);
    this.bar.update(job.done, { phase: job.phase || job.state });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/**
 * Follows a job to its end through the progress gateway (Socket.IO `/progress`, the same channel
 * the UI uses): the subscription is answered with the job's current state, so a job that ended
 * before the socket connected is reported at once. Resolves with the completed job; a failed or
 * cancelled one throws CliError(EXIT.FAILED) with the job's own error code.
 */
export async function followJob(client: ApiClient, jobId: string, out: Output): Promise<JobView> {
  const view = new ProgressView(out);
  try {
    const job = await finalStateOf(client, jobId, (j) => view.show(j));
    view.show(job);
    return settled(job);
  } finally {
    view.stop();
  }
}

function finalStateOf(client: ApiClient, jobId: string, onUpdate: (job: JobView) => void): Promise<JobView> {
  const { token } = client.connection;
  const socket = io(`${client.url}${PROGRESS_NAMESPACE}`, {
    transports: ['websocket'],
    reconnection: true,
    reconnectionAttempts: 5,
    forceNew: true,
    auth: token ? { token } : {},
    extraHeaders: client.headers(),
  });
  return new Promise<JobView>((resolve, reject) => {
    const done = (result: JobView | Error) => {
      socket.removeAllListeners();
      socket.io.off('reconnect_failed', gaveUp);
      socket.disconnect();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const gaveUp = () => done(unreachable(client.url, new Error('the progress socket could not reconnect')));
    const seen = (job: JobView) => {
      if (job.id !== jobId) return;
      if (FINAL_JOB_STATES.includes(job.state)) done(job);
      else onUpdate(job);
    };
    for (const event of [STATE_EVENT, 'job.progress', ...Object.values(FINAL_EVENTS)]) socket.on(event, seen);
    // Subscribing again after a reconnect is answered with the state then, so nothing is lost.
    socket.on('connect', () => {
      socket
        .timeout(10_000)
        .emitWithAck('subscribe', { jobId })
        .then((ack: { ok: boolean; code?: string; message?: string }) => {
          if (!ack.ok) done(new CliError(ack.code === 'JOB.NOT_FOUND' ? EXIT.NOT_FOUND : EXIT.REFUSED, `${ack.code}: ${ack.message}`));
        })
        .catch(() => undefined);
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string }; type?: string }) => {
      const code = error.data?.code;
      if (code?.startsWith('AUTH.')) done(new CliError(EXIT.REFUSED, `${code}: ${error.message}`, { code, message: error.message }));
      else if (!socket.active) done(unreachable(client.url, error));
    });
    // The server went away mid-job and did not come back within the reconnection attempts.
    socket.io.on('reconnect_failed', gaveUp);
  });
}

/** The job when it completed; a CliError(EXIT.FAILED) naming its error when it failed or was cancelled. */
export function settled(job: JobView): JobView {
  if (job.state === 'completed') return job;
  const code = job.error?.code ?? 'JOB.FAILED';
  throw new CliError(EXIT.FAILED, `the ${job.kind} job ${job.state}: ${code}: ${job.error?.message ?? 'no reason given'}`, {
    code,
    message: job.error?.message ?? `the job ${job.state}`,
    details: { jobId: job.id, ...(job.error?.details ? { details: job.error.details } : {}) },
  });
}
