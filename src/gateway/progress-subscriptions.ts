import { JobView } from '../jobs/job';
import { jobNotFound } from '../jobs/job-errors';
import { CurrentJobs } from './current-jobs';
import { latestPerJob } from './job-view-order';
import { canSee } from './progress-access';
import { finalEventOf, Subscription } from './progress-protocol';
import { roomOf } from './progress-rooms';
import { ProgressSocket } from './progress-socket';

/**
 * Subscribing and unsubscribing one socket. A subscribe answers with the current state of each job
 * it covers (one job, or the queued and running jobs of a kind or of all), then the socket receives
 * live views of them. Ordering, per socket and job: `job.state` first, live views after it and never
 * older, then the final event once; a job that has already ended answers with its state and its final
 * event together (unless this socket was already sent that final).
 */
export class ProgressSubscriptions {
  constructor(private readonly jobs: CurrentJobs) {}

  /**
   * The socket joins the room before the current state is read, so no update between the read and the
   * join is lost; updates arriving meanwhile are held by the ledger and folded into the answer.
   */
  async subscribe(socket: ProgressSocket, subscription: Subscription): Promise<void> {
    const room = roomOf(subscription);
    const { ledger } = socket.data;
    const wasMember = socket.rooms.has(room);
    ledger.beginAnswer(room);
    await socket.join(room);
    let current: JobView[];
    try {
      current = await this.currentJobs(socket, subscription);
    } catch (error) {
      ledger.endAnswer(room);
      if (!wasMember) await socket.leave(room);
      throw error;
    }
    for (const job of latestPerJob([...current, ...ledger.endAnswer(room)])) this.sendState(socket, job);
  }

  async unsubscribe(socket: ProgressSocket, subscription: Subscription): Promise<void> {
    await socket.leave(roomOf(subscription));
  }

  private async currentJobs(socket: ProgressSocket, subscription: Subscription): Promise<JobView[]> {
    const { viewer } = socket.data;
    if (subscription.jobId === undefined) return (await this.jobs.active(subscription.kind ?? null)).filter((job) => canSee(viewer, job));
    const job = await this.jobs.find(subscription.jobId);
    // A job the viewer may not see answers as one that does not exist, so ids reveal nothing.
    if (!canSee(viewer, job)) throw jobNotFound(subscription.jobId);
    return [job];
  }

  private sendState(socket: ProgressSocket, job: JobView): void {
    const { state, finalOwed } = socket.data.ledger.answer(job);
    socket.emit('job.state', state);
    const finalEvent = finalEventOf(state);
    if (finalOwed && finalEvent) socket.emit(finalEvent, state);
  }
}
