import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { AppConfig } from '../config/app-config';
import { redisUnreachable } from './gateway-errors';
import { ProgressGateway } from './progress.gateway';

/** How long the adapter waits for peers that do not answer before it hands over the replies it got (see ProgressPeers). */
const PEER_REQUEST_TIMEOUT_MS = 2000;
/** The client retries a refused connection forever; start-up gives up after this instead of hanging. */
const CONNECT_TIMEOUT_MS = 5000;

type RedisClient = ReturnType<typeof createClient>;

/**
 * Puts the Socket.IO server behind the Redis adapter when REDIS_URL is set, so job updates and peer
 * requests reach every instance; without REDIS_URL nothing here runs. This runs in the init hooks,
 * after the gateway's server exists and before the HTTP server listens, so no client ever connects
 * through the in-memory adapter it replaces. An unreachable Redis stops the start-up
 * (GATEWAY.REDIS_UNREACHABLE): an instance running alone would silently miss its peers' progress.
 */
@Injectable()
export class RedisAdapterLink implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisAdapterLink.name);
  private clients: RedisClient[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly gateway: ProgressGateway,
  ) {}

  async onModuleInit(): Promise<void> {
    const url = this.config.values.REDIS_URL;
    if (!url) return;
    const pub = createClient({ url });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', (error: Error) => this.logger.error(`redis: ${error.message}`));
    this.clients = [pub, sub];
    await this.connectOrGiveUp();
    this.gateway.namespace.server.adapter(createAdapter(pub, sub, { requestsTimeout: PEER_REQUEST_TIMEOUT_MS }));
    this.logger.log('progress gateway joined its peers through Redis');
  }

  /** Runs after the Socket.IO server closed (and with it the adapter's subscriptions). */
  async onApplicationShutdown(): Promise<void> {
    await this.disconnect();
  }

  private async connectOrGiveUp(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(redisUnreachable(CONNECT_TIMEOUT_MS)), CONNECT_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.all(this.clients.map((client) => client.connect())), giveUp]);
    } catch (error) {
      await this.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A ready client closes after the replies still due; one that is not (Redis gone) is destroyed, which also stops its reconnecting. */
  private async disconnect(): Promise<void> {
    const clients = this.clients.splice(0);
    await Promise.allSettled(clients.map((client) => (client.isReady ? client.close() : client.destroy())));
  }
}
