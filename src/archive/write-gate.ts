import { Injectable, SetMetadata } from '@nestjs/common';
import { AppError } from '../common/app-error';

/**
 * Whether this instance may change its data, the one answer every write path asks (WriteGuard for
 * HTTP). Open on a writer; closed on a follower (FOLLOWER.READ_ONLY) until its promotion; closed
 * for good on a writer a newer epoch superseded (ARCHIVE.SUPERSEDED): a write it accepted then
 * would be history no reader of the archive follows.
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

export const ALLOWED_WHILE_READ_ONLY = 'globe-vault:allowed-while-read-only';

/**
 * Marks a non-GET route that changes nothing (a restore preview computes a diff) or that exists for
 * a read-only instance (the promotion itself): the write gate lets it through.
 */
export const AllowedWhileReadOnly = () => SetMetadata(ALLOWED_WHILE_READ_ONLY, true);
