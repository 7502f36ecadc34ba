import { Client, Pool } from 'pg';
import { Subject } from 'rxjs';
import { waitForAppend } from '../sqlite/wait-for-append';

/** How often a waiting subscription looks again when no notification came (a horizon that moved, a lost LISTEN connection). */
const POLL_MS = 100;
/** How long a read waits for the horizon to pass this process's own last append before it reads what it can see. */
const OWN_WRITES_WAIT_MS = 10_000;

/**
 * What tells a PostgreSQL store's readers that the log grew: this process's own commits, and
 * NOTIFY from every process's appends (one LISTEN connection per store, opened by the first
 * subscription); polling covers what neither says. Also read-your-own-writes: the id of this
 * process's last append, which reads wait (bounded) for the horizon to pass.
 */
export class AppendSignals {
  private readonly appended = new Subject<number>();
  private ownXid: bigint | null = null;
  private listener: Client | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {}

  committed(xid: bigint, lastPosition: number): void {
    this.ownXid = xid;
    this.appended.next(lastPosition);
  }

  /** Resolves once something may have appended at or past `from` (or after POLL_MS, or on abort). */
  async waitFor(from: number, signal?: AbortSignal): Promise<void> {
    await this.listen();
    await waitForAppend(this.appended, from, POLL_MS, signal);
  }

  /** Waits (up to OWN_WRITES_WAIT_MS) until the horizon passes this process's last append: a read here then sees its own writes. */
  async seeOwnWrites(pool: Pool): Promise<void> {
    const until = Date.now() + OWN_WRITES_WAIT_MS;
    while (this.ownXid !== null) {
      const mine = this.ownXid;
      const horizon = BigInt((await pool.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x')).rows[0].x);
      if (horizon > mine || Date.now() > until) {
        if (this.ownXid === mine) this.ownXid = null;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    this.appended.complete();
    await this.listener?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.listener || this.appended.closed) return;
    const listener = new Client({ connectionString: this.url });
    this.listener = listener;
    listener.on('error', () => undefined);
    listener.on('notification', (n) => this.appended.next(Number(n.payload)));
    try {
      await listener.connect();
      await listener.query(`LISTEN ${this.channel}`);
    } catch {
      // Subscriptions poll every POLL_MS without it.
    }
  }
}
