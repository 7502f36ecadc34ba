import { Injectable } from '@nestjs/common';
import { ChainReport, EventStore } from '../events/event-store';
import { JobView } from '../jobs/job';
import { JobRunner } from '../jobs/job-runner';
import { SnapshotStore } from '../snapshots/snapshot-store';

/**
 * Proves the log was not rewritten: walks its hash chain as an `audit-verify` job (progress in
 * events walked, out of the log's length, through the one job stream the gateway relays). The
 * chain heads the snapshots recorded are witnesses: a snapshot's head must be the hash the walk
 * computes at its position, and the base snapshot of a compacted log anchors where the walk starts,
 * so a log rewritten from some position to its end with fresh hashes, or cut short, is still caught
 * wherever a snapshot saw it before.
 */
@Injectable()
export class ChainVerification {
  constructor(
    private readonly store: EventStore,
    private readonly snapshots: SnapshotStore,
    private readonly jobs: JobRunner,
  ) {}

  start(actor: string): Promise<JobView> {
    return this.jobs.start({ kind: 'audit-verify', actor, cancellable: true }, async (job): Promise<ChainReport> => {
      job.progress({ phase: 'walking the chain', done: 0 });
      const witnesses = (await this.snapshots.rows())
        .filter((s) => s.chain_head !== null)
        .map((s) => ({ position: s.position, hash: s.chain_head!, source: `snapshot ${s.id}` }));
      return this.store.verifyChain({ witnesses, signal: job.signal, onProgress: (done, total) => job.progress({ done, total }) });
    });
  }
}
