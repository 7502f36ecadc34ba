import fc from 'fast-check';
import { Socket, io } from 'socket.io-client';
import { hostileJson } from './hostile-values';

/** The messages the /progress namespace answers (checked against the gateway in route-catalog.e2e-spec.ts). */
export const SOCKET_MESSAGES = ['subscribe', 'unsubscribe'] as const;

const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

const messageName = fc.oneof({ arbitrary: fc.constantFrom(...SOCKET_MESSAGES), weight: 4 }, { arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'error', 'job.state', 'job.update'), weight: 1 }, { arbitrary: fc.string({ maxLength: 20 }), weight: 1 });

const payload = fc.oneof(
  { arbitrary: hostileJson, weight: 6 },
  { arbitrary: fc.constantFrom({ jobId: '../../etc/passwd' }, { kind: '__proto__' }, { jobId: 'x'.repeat(100_000) }, { jobId: undefined, kind: undefined }), weight: 2 },
  { arbitrary: fc.constant(null).map(() => 'x'.repeat(2 * 1024 * 1024)), weight: 1 }, // past maxHttpBufferSize: the server drops the connection
);

export interface SocketOutcome {
  /** A refusal the server could not explain (GATEWAY.INTERNAL), or no answer on a connection that stayed up. */
  problem?: string;
  disconnected: boolean;
}

/**
 * Hostile messages on /progress through the real Socket.IO client: each message with or without an
 * ack, any name, any payload. An answered ack must be `{ok: true}` or a refusal with a stable code
 * (never GATEWAY.INTERNAL); a known message with an ack must be answered unless the server dropped
 * the connection (an oversized frame).
 */
export class HostileSocket {
  private socket?: Socket;
  private internalErrors: string[] = [];

  constructor(private readonly url: string) {}

  private async connected(): Promise<Socket> {
    if (this.socket?.connected) return this.socket;
    this.socket?.close();
    const socket = io(`${this.url}/progress`, { transports: ['websocket'], reconnection: false, timeout: 5000 });
    socket.on('error', (failure: { code?: string }) => {
      if (failure?.code === 'GATEWAY.INTERNAL') this.internalErrors.push(JSON.stringify(failure));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    this.socket = socket;
    return socket;
  }

  async send(n: number, seed: number): Promise<SocketOutcome> {
    const [drawn] = fc.sample(fc.record({ name: messageName, body: payload, withAck: fc.boolean() }), { seed: seed + n, numRuns: 1 });
    const socket = await this.connected();
    // names the client itself refuses to send (connect, disconnect, …) never reach the server
    if (RESERVED.has(drawn.name)) return { disconnected: false };
    const known = (SOCKET_MESSAGES as readonly string[]).includes(drawn.name);
    const label = `socket ${drawn.name} ${JSON.stringify(drawn.body)?.slice(0, 120)}`;
    if (!drawn.withAck) {
      socket.emit(drawn.name, drawn.body);
      await new Promise((r) => setTimeout(r, 2));
      return this.outcome(label);
    }
    const answer = await socket.timeout(3000).emitWithAck(drawn.name, drawn.body).catch(() => undefined);
    if (answer === undefined) {
      if (known && socket.connected) return { problem: `${label}: no ack within 3 s`, disconnected: false };
      return { disconnected: !socket.connected };
    }
    if (answer?.ok === false && answer.code === 'GATEWAY.INTERNAL') return { problem: `${label}: ${JSON.stringify(answer)}`, disconnected: false };
    if (answer?.ok !== true && answer?.ok !== false) return { problem: `${label}: ack is not {ok}: ${JSON.stringify(answer)}`, disconnected: false };
    return this.outcome(label);
  }

  private outcome(label: string): SocketOutcome {
    const internal = this.internalErrors.splice(0);
    return { problem: internal.length ? `${label}: error event ${internal.join(', ')}` : undefined, disconnected: !this.socket?.connected };
  }

  close(): void {
    this.socket?.close();
  }
}
