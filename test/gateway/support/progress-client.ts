import { io, Socket } from 'socket.io-client';
import { JobView } from '../../../src/jobs/job';
import { FINAL_EVENTS, ProgressAck, ProgressFailure } from '../../../src/gateway/progress-protocol';

export const FINAL_EVENT_NAMES: readonly string[] = Object.values(FINAL_EVENTS);
const JOB_EVENT_NAMES = ['job.state', 'job.progress', ...FINAL_EVENT_NAMES];

export interface Received {
  event: string;
  job: JobView;
}

/**
 * A real socket.io-client on /progress that records, in arrival order, every job event and every
 * `error` event it receives. Each client has its own connection (forceNew), as separate browsers would.
 */
export class ProgressClient {
  readonly received: Received[] = [];
  readonly errors: ProgressFailure[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      if (JOB_EVENT_NAMES.includes(event)) this.received.push({ event, job: payload as JobView });
      else if (event === 'error') this.errors.push(payload as ProgressFailure);
      for (const wake of this.waiters) wake();
    });
  }

  static async connect(baseUrl: string): Promise<ProgressClient> {
    const socket = io(`${baseUrl}/progress`, { transports: ['websocket'], forceNew: true, reconnection: false });
    const client = new ProgressClient(socket);
    await client.connected();
    return client;
  }

  /** Resolves once (re)connected; rejects with the server's `connect_error`. */
  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  subscribe(payload: unknown): Promise<ProgressAck> {
    return this.socket.timeout(10_000).emitWithAck('subscribe', payload);
  }

  unsubscribe(payload: unknown): Promise<ProgressAck> {
    return this.socket.timeout(10_000).emitWithAck('unsubscribe', payload);
  }

  eventsFor(jobId: string): Received[] {
    return this.received.filter((r) => r.job.id === jobId);
  }

  namesFor(jobId: string): string[] {
    return this.eventsFor(jobId).map((r) => r.event);
  }

  /** Resolves with the first received event matching `predicate`, past or future. */
  waitFor(predicate: (received: Received) => boolean, timeoutMs = 10_000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.received.find(predicate);
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(this.received.map((r) => [r.event, r.job.id, r.job.done]))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  waitForFinal(jobId: string, timeoutMs?: number): Promise<Received> {
    return this.waitFor((r) => r.job.id === jobId && FINAL_EVENT_NAMES.includes(r.event), timeoutMs);
  }

  /**
   * Lets anything the server still had for this client arrive: a round trip (packets on one socket
   * keep their order) and a pause for work the server had not yet started. Call it before asserting
   * that something arrived exactly once or not at all.
   */
  async settle(pauseMs = 150): Promise<void> {
    await this.unsubscribe({ kind: 'verify' });
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }

  close(): void {
    this.socket.disconnect();
  }
}
