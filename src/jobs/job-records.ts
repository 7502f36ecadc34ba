import { DataSource, In } from 'typeorm';
import { JobKind, JobState, JobView } from './job';
import { JobEntity } from './job.entity';

/**
 * The jobs table: each job's record is its whole view as JSON, written by upsert. Ended jobs whose
 * final record could not be written (a full disk) wait in `unsaved`, are served from there (so they
 * never read as running), and are written with the next record that can be.
 */
export class JobRecords {
  readonly unsaved = new Map<string, JobView>();

  constructor(private readonly dataSource: DataSource) {}

  /** Writes a job's record, then those of ended jobs that could not be written before. */
  async write(view: JobView): Promise<void> {
    await this.upsert(view);
    for (const [id, ended] of this.unsaved) {
      await this.upsert(ended);
      this.unsaved.delete(id);
    }
  }

  async find(id: string): Promise<JobView | null> {
    const row = await this.repo().findOneBy({ id });
    return row ? JSON.parse(row.view) : null;
  }

  /** Newest first. */
  async list(filter: { kind?: JobKind; state?: JobState; limit: number }): Promise<JobView[]> {
    const where: Record<string, string> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.state) where.state = filter.state;
    const rows = await this.repo().find({ where, order: { created_at: 'DESC', id: 'DESC' }, take: filter.limit });
    return rows.map((r) => JSON.parse(r.view));
  }

  /** Jobs recorded as queued or running: after a start-up, the ones the last stop interrupted. */
  async unfinished(): Promise<JobView[]> {
    return (await this.repo().findBy({ state: In(['queued', 'running']) })).map((r) => JSON.parse(r.view));
  }

  /** The latest failed jobs of a kind (at most 100), newest first. */
  async recentFailed(kind: JobKind): Promise<JobView[]> {
    const rows = await this.repo().find({ where: { kind, state: 'failed' }, order: { created_at: 'DESC' }, take: 100 });
    return rows.map((r) => JSON.parse(r.view));
  }

  /**
   * One INSERT … ON CONFLICT statement, never `save()`: save() wraps its statements in an async
   * BEGIN … COMMIT on the shared connection, and the projector's and snapshots' synchronous work
   * would then land inside that transaction (see projections/sqlite/read-model-db.ts).
   */
  private async upsert(view: JobView): Promise<void> {
    await this.repo().upsert({ id: view.id, kind: view.kind, state: view.state, view: JSON.stringify(view), created_at: view.createdAt }, ['id']);
  }

  private repo() {
    return this.dataSource.getRepository(JobEntity);
  }
}
