/** What a process runs the application for. */
export type RunModeName = 'server' | 'offline-restore';

/**
 * A server runs everything. An offline restore (`globe-vault restore --data-dir`) runs only what a
 * restore needs, and none of the work that starts on its own: the archiver (it would claim a new
 * epoch in the archive's store and so fence a writer still running elsewhere on that store), the
 * follower (it would close the write gate the restore writes through), the backup and drill
 * schedules, snapshots by count or cron, log compaction, and the copy queue to remote storages
 * (what it holds waits in the outbox for the next server). Every such piece starts through
 * `background`, which also keeps the names of what it started (asserted by the offline spec).
 */
export class RunMode {
  private readonly startedWork: string[] = [];

  constructor(readonly name: RunModeName) {}

  get runsBackgroundWork(): boolean {
    return this.name === 'server';
  }

  /** Runs `start` when this mode runs background work, and records `work` as started; else does nothing. */
  async background(work: string, start: () => void | Promise<void>): Promise<void> {
    if (!this.runsBackgroundWork) return;
    await start();
    this.startedWork.push(work);
  }

  /** The background work started so far, in the order it started. */
  get started(): readonly string[] {
    return this.startedWork;
  }
}
