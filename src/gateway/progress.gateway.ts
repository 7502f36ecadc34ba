import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Ack, ConnectedSocket, MessageBody, OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { Subscription as RxSubscription } from 'rxjs';
import { SocketAccess } from '../auth/socket-access';
import { parseInput } from '../common/http/parse-input';
import { JobView } from '../jobs/job';
import { JobRunner } from '../jobs/job-runner';
import { CurrentJobs } from './current-jobs';
import { INVALID_SUBSCRIPTION, toFailure } from './gateway-errors';
import { ProgressDispatcher } from './progress-dispatcher';
import { ProgressPeers } from './progress-peers';
import { AckCallback, PROGRESS_NAMESPACE, Subscription, subscriptionSchema } from './progress-protocol';
import { ProgressSubscriptions } from './progress-subscriptions';
import { ProgressNamespace, ProgressSocket, admitConnection } from './progress-socket';

/**
 * The Socket.IO side of job progress (protocol in progress-protocol.ts). Every view JobRunner emits
 * (already throttled to ~10 a second per job, final always included) is delivered once to the local
 * subscribers and forwarded once to the peers. Handlers never throw: a refused request is answered
 * on its ack, or with an `error` event when it came without one.
 */
// No `cors` here: SocketAccess answers CORS only to CORS_ORIGINS and refuses foreign origins.
@WebSocketGateway({ namespace: PROGRESS_NAMESPACE })
export class ProgressGateway implements OnGatewayInit<ProgressNamespace>, OnModuleDestroy {
  @WebSocketServer() namespace!: ProgressNamespace;
  private readonly logger = new Logger(ProgressGateway.name);
  private subscriptions!: ProgressSubscriptions;
  private updates?: RxSubscription;

  constructor(
    private readonly runner: JobRunner,
    private readonly access: SocketAccess,
  ) {}

  /** The collaborators need the namespace, which exists from here on. */
  afterInit(namespace: ProgressNamespace): void {
    this.access.guard(namespace.server);
    namespace.use(admitConnection(this.access));
    const peers = new ProgressPeers(namespace);
    const dispatcher = new ProgressDispatcher(namespace);
    const jobs = new CurrentJobs(this.runner, peers);
    this.subscriptions = new ProgressSubscriptions(jobs);
    const deliver = (job: JobView) => this.guard(() => dispatcher.deliver(job));
    peers.serve({ deliver, findLocal: (id) => jobs.findLocal(id), activeLocal: (kind) => jobs.activeLocal(kind) });
    this.updates = this.runner.updates$.subscribe((job) => {
      deliver(job);
      this.guard(() => peers.publish(job));
    });
  }

  onModuleDestroy(): void {
    this.updates?.unsubscribe();
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: ProgressSocket, @MessageBody() payload: unknown, @Ack() ack?: AckCallback): Promise<void> {
    return this.answer(socket, ack, () => this.subscriptions.subscribe(socket, parseSubscription(payload)));
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: ProgressSocket, @MessageBody() payload: unknown, @Ack() ack?: AckCallback): Promise<void> {
    return this.answer(socket, ack, () => this.subscriptions.unsubscribe(socket, parseSubscription(payload)));
  }

  /** The ack comes after the request's own events, so a client holding `{ok: true}` already has its `job.state`. */
  private async answer(socket: ProgressSocket, ack: AckCallback | undefined, request: () => Promise<void>): Promise<void> {
    try {
      await request();
      ack?.({ ok: true });
    } catch (error) {
      const failure = toFailure(error);
      if (ack) ack({ ok: false, ...failure });
      else socket.emit('error', failure);
    }
  }

  /** A delivery failure must not end the updates$ subscription (an error thrown there would) or crash the process. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.logger.error('could not deliver a job update', error instanceof Error ? error.stack : String(error));
    }
  }
}

function parseSubscription(payload: unknown): Subscription {
  return parseInput(subscriptionSchema, payload, INVALID_SUBSCRIPTION);
}
