import { JobView } from '../jobs/job';
import { isFinal, isOlder, laterView } from './job-view-order';

interface SentJob {
  view: JobView;
  finalSent: boolean;
}

interface PendingAnswer {
  /** Subscribes to this room still being answered (a client may repeat one before the first answer). */
  answers: number;
  held: Map<string, JobView>;
}

/**
 * What one socket has been sent, per job, and which of its subscribes are still being answered.
 * Guarantees, per socket and job:
 * 1. a view is never followed by an older one;
 * 2. the final event goes out at most once, however many subscriptions cover the job;
 * 2a. the first event of a job is always `job.state`, also for a job that began after the subscribe;
 * 3. a live view that reaches the socket only through a subscribe still being answered is held and
 *    folded into that answer's `job.state`, so `job.state` is never preceded by live views it covers.
 * Entries live as long as the socket; jobs are long work, so a socket sees few of them.
 */
export class DeliveryLedger {
  private readonly sent = new Map<string, SentJob>();
  private readonly pending = new Map<string, PendingAnswer>();

  beginAnswer(room: string): void {
    const pending = this.pending.get(room) ?? { answers: 0, held: new Map() };
    pending.answers += 1;
    this.pending.set(room, pending);
  }

  /** Ends one answer to a subscribe to `room` and hands over the views held meanwhile. */
  endAnswer(room: string): JobView[] {
    const pending = this.pending.get(room);
    if (!pending) return [];
    pending.answers -= 1;
    if (pending.answers === 0) this.pending.delete(room);
    return [...pending.held.values()];
  }

  /** Holds `view` when every room that brought it here is being answered; says whether it did. */
  hold(rooms: readonly string[], view: JobView): boolean {
    const pending: PendingAnswer[] = [];
    for (const room of rooms) {
      const answer = this.pending.get(room);
      if (!answer) return false;
      pending.push(answer);
    }
    for (const { held } of pending) {
      const known = held.get(view.id);
      held.set(view.id, known ? laterView(known, view) : view);
    }
    return pending.length > 0;
  }

  /**
   * Records a live view and says how to send it: `first` when this socket has seen nothing of the job
   * yet (it then gets `job.state` first, as a late subscriber would), `next` for a later view, `null`
   * to drop it (older than what was sent, or after the final).
   */
  admitLive(view: JobView): 'first' | 'next' | null {
    const sent = this.sent.get(view.id);
    if (sent && (sent.finalSent || isOlder(view, sent.view))) return null;
    this.sent.set(view.id, { view, finalSent: isFinal(view) });
    return sent ? 'next' : 'first';
  }

  /** The state to answer a subscribe with (the latest of `view` and what was sent) and whether its final event is still owed. */
  answer(view: JobView): { state: JobView; finalOwed: boolean } {
    const sent = this.sent.get(view.id);
    const state = sent ? laterView(sent.view, view) : view;
    const finalOwed = isFinal(state) && !sent?.finalSent;
    this.sent.set(view.id, { view: state, finalSent: isFinal(state) });
    return { state, finalOwed };
  }
}
