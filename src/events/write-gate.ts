import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';

/**
 * Whether this instance may change its data. Open on a writer; closed on a follower
 * (FOLLOWER.READ_ONLY) until its promotion; closed for good on a writer a newer epoch superseded
 * (ARCHIVE.SUPERSEDED): a write it accepted then would be history no reader of the archive follows.
 * Asked in two places: the HTTP write guard (archive/write.guard.ts), which refuses a write before
 * any work, and the log's append (EventStore guarantee 7), which also stops what no request
 * started (a scheduled compaction) from writing a history the archive does not hold.
 */
@Injectable()
export class WriteGate {
  private refusal: AppError | null = null;

  /** Throws why writes are refused; returns when they are allowed. */
  check(): void {
    if (this.refusal) throw this.refusal;
  }

  get open(): boolean {
    return this.refusal === null;
  }

  close(refusal: AppError): void {
    this.refusal = refusal;
  }

  reopen(): void {
    this.refusal = null;
  }
}
