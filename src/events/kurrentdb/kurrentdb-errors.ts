import { AppError } from '../../common/app-error';

/**
 * What the KurrentDB log cannot do faithfully (README "Past one machine"):
 * - compaction: KurrentDB removes events by stream only (`$tb` truncate-before metadata, set
 *   stream by stream, not in one transaction), and `$all` keeps returning truncated events until a
 *   scavenge runs, so "positions ≤ N gone at once, the log starting after N" cannot be kept;
 * - adopting a history (restoring a backup with its history, following an archive): a history
 *   is larger than one atomic append may be, so "all of it or none" cannot be kept.
 * 501: the request was fine; this deployment cannot serve it (the SQLite and PostgreSQL logs can).
 */
export class UnsupportedByEventStoreError extends AppError {
  constructor(operation: string, store: string) {
    super('EVENTS.UNSUPPORTED', `${operation} is not supported by the ${store} log`, 501, { operation, store });
  }
}

/** An append larger than one atomic write may be (the server's MaxAppendSize, or the adapter's own ceiling). */
export class AppendTooLargeError extends AppError {
  constructor(limit: string) {
    super('EVENTS.APPEND_TOO_LARGE', `the append is larger than one atomic write to the log may be (${limit})`, 413, { limit });
  }
}

/** Other writers kept moving the head: the append was tried again and again and never landed. Nothing was written. */
export class LogContendedError extends AppError {
  constructor(attempts: number) {
    super('EVENTS.CONTENDED', `the log's head moved under ${attempts} attempts to append: nothing was written, try again`, 503, { attempts });
  }
}
