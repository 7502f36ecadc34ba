import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Server } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { redisPackagesMissing } from './gateway-errors';
import { ProgressGateway } from './progress.gateway';

/** How long a subscribe waits for peers that do not answer (see ProgressPeers). */
const PEER_REQUEST_TIMEOUT_MS = 2000;

/** The surface of the `redis` client (v4) this file uses. */
interface RedisClient {
  connect(): Promise<unknown>;
  duplicate(): RedisClient;
  quit(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
interface RedisPackages {
  createClient(options: { url: string }): RedisClient;
  createAdapter(pub: RedisClient, sub: RedisClient, options: { requestsTimeout: number }): Parameters<Server['adapter']>[0];
}

/**
 * Puts the Socket.IO server behind the Redis adapter when REDIS_URL is set, so job updates and peer
 * requests reach every instance; without REDIS_URL nothing here runs and one instance needs neither
 * package. This runs in the init hooks, after the gateway's server exists and before the HTTP server
 * listens, so no client ever connects through the in-memory adapter it replaces.
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
    const { createClient, createAdapter } = loadRedisPackages();
    const pub = createClient({ url });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', (error) => this.logger.error(`redis: ${error.message}`));
    await Promise.all([pub.connect(), sub.connect()]);
    this.clients = [pub, sub];
    this.gateway.namespace.server.adapter(createAdapter(pub, sub, { requestsTimeout: PEER_REQUEST_TIMEOUT_MS }));
    this.logger.log('progress gateway joined its peers through Redis');
  }

  /** Runs after the Socket.IO server closed (and with it the adapter's subscriptions). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit()));
    this.clients = [];
  }
}

/**
 * Loaded only when REDIS_URL is set; until package.json lists @socket.io/redis-adapter and redis,
 * setting REDIS_URL stops the start-up with GATEWAY.REDIS_PACKAGES_MISSING rather than running alone.
 */
function loadRedisPackages(): RedisPackages {
  try {
    return { createClient: require('redis').createClient, createAdapter: require('@socket.io/redis-adapter').createAdapter };
  } catch (error) {
    throw redisPackagesMissing(error);
  }
}
