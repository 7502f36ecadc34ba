import { Adapter } from 'socket.io-adapter';
import { JobKind, JobView } from '../jobs/job';
import { latestPerJob } from './job-view-order';
import { ProgressNamespace } from './progress-socket';

/**
 * A bound of our own on waiting for peers, above the adapter's request timeout (which answers with
 * the replies it got): the Redis adapter never calls back when it cannot count the servers (Redis
 * unreachable), and a subscribe must still be answered.
 */
const PEER_ANSWER_LIMIT_MS = 3000;

/** What this instance answers its peers with. */
export interface PeerService {
  deliver(job: JobView): void;
  findLocal(jobId: string): Promise<JobView | null>;
  activeLocal(kind: JobKind | null): Promise<JobView[]>;
}

/**
 * This instance's link to the other instances behind the same Socket.IO adapter (Redis). Each
 * instance forwards the updates of the jobs it runs to every peer, and each delivers what it receives
 * to its own sockets, so an update reaches every subscribed client once. A subscribe for a job this
 * instance does not know asks the peers, because the one running it holds its current state (with a
 * shared jobs table a local read already finds it). With the default in-memory adapter there are no
 * peers and nothing leaves the process. Peers are instances of this service: their messages are trusted.
 */
export class ProgressPeers {
  constructor(private readonly namespace: ProgressNamespace) {}

  serve(service: PeerService): void {
    this.namespace.on('job.update', (job) => service.deliver(job));
    this.namespace.on('job.find', (jobId, reply) => void service.findLocal(jobId).then(reply, () => reply(null)));
    this.namespace.on('jobs.active', (kind, reply) => void service.activeLocal(kind).then(reply, () => reply([])));
  }

  publish(job: JobView): void {
    if (this.clustered()) this.namespace.serverSideEmit('job.update', job);
  }

  /** The latest view of the job among the peers that know it; null when none does. */
  async find(jobId: string): Promise<JobView | null> {
    const answers = await this.ask<JobView | null>((reply) => this.namespace.serverSideEmit('job.find', jobId, reply));
    return latestPerJob(answers.filter((job): job is JobView => job !== null))[0] ?? null;
  }

  async active(kind: JobKind | null): Promise<JobView[]> {
    return (await this.ask<JobView[]>((reply) => this.namespace.serverSideEmit('jobs.active', kind, reply))).flat();
  }

  /**
   * Asks every peer and resolves with the answers that arrived: a peer that does not answer in time
   * is left out rather than failing the subscribe, and no answer at all resolves with none.
   */
  private ask<T>(send: (reply: (error: Error | null, answers: T[]) => void) => void): Promise<T[]> {
    if (!this.clustered()) return Promise.resolve([]);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve([]), PEER_ANSWER_LIMIT_MS);
      send((_error, answers) => {
        clearTimeout(timer);
        resolve(answers ?? []);
      });
    });
  }

  /** Whether the adapter reaches other instances: the in-memory one cannot (its serverSideEmit only warns). */
  private clustered(): boolean {
    return this.namespace.adapter.serverSideEmit !== Adapter.prototype.serverSideEmit;
  }
}
