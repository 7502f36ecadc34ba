import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Namespace, ServerOptions } from 'socket.io';
import { ClusterAdapterWithHeartbeat, ClusterMessage, ClusterResponse } from 'socket.io-adapter';

/**
 * Stands in for Redis between app instances in one test process: a Socket.IO cluster adapter whose
 * messages travel through memory, JSON-copied and delivered on a later turn as over a network, and
 * only between adapters of the same namespace (as Redis channels are per namespace).
 */
export class InProcessCluster {
  private readonly members = new Set<MemberAdapter>();

  /** Install with `createApp((app) => app.useWebSocketAdapter(cluster.ioAdapter(app)))`. */
  ioAdapter(app: INestApplicationContext): IoAdapter {
    const cluster = this;
    return new (class extends IoAdapter {
      override createIOServer(port: number, options?: ServerOptions) {
        // Socket.IO calls the factory with `new`, so it must be a function, not an arrow.
        const adapter = function (nsp: Namespace) {
          return new MemberAdapter(nsp, cluster);
        };
        return super.createIOServer(port, { ...options, adapter } as ServerOptions);
      }
    })(app);
  }

  /** Resolves once every adapter of `namespace` has heard from all `count` servers. */
  async formed(namespace: string, count: number): Promise<void> {
    for (let tries = 0; tries < 200; tries++) {
      const counts = await Promise.all([...this.members].filter((m) => m.nsp.name === namespace).map((m) => m.serverCount()));
      if (counts.length === count && counts.every((c) => c === count)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`the cluster of ${namespace} did not form with ${count} servers`);
  }

  join(member: MemberAdapter): void {
    this.members.add(member);
  }

  leave(member: MemberAdapter): void {
    this.members.delete(member);
  }

  publish(from: MemberAdapter, message: ClusterMessage): void {
    for (const member of this.members) if (member !== from && member.nsp.name === from.nsp.name) later(() => member.onMessage(copy(message)));
  }

  respond(from: MemberAdapter, toUid: string, response: ClusterResponse): void {
    for (const member of this.members) if (member.id === toUid && member.nsp.name === from.nsp.name) later(() => member.onResponse(copy(response)));
  }
}

class MemberAdapter extends ClusterAdapterWithHeartbeat {
  constructor(
    nsp: Namespace,
    private readonly cluster: InProcessCluster,
  ) {
    super(nsp, {});
    cluster.join(this);
  }

  get id(): string {
    return this.uid;
  }

  protected override async doPublish(message: ClusterMessage): Promise<string> {
    this.cluster.publish(this, message);
    return '';
  }

  protected override async doPublishResponse(requesterUid: string, response: ClusterResponse): Promise<void> {
    this.cluster.respond(this, requesterUid, response);
  }

  override close(): void {
    super.close();
    this.cluster.leave(this);
  }
}

const later = (deliver: () => void) => setImmediate(deliver);
const copy = <T>(message: T): T => JSON.parse(JSON.stringify(message));
