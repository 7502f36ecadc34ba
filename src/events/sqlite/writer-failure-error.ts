import { ChainMismatchError, DuplicateEventIdError, HeadMovedError, LogNotEmptyError, WrongExpectedRevisionError } from '../event-store.errors';
import { WriterFailure } from './log-writer-protocol';

/** The store's typed error for a transaction the writer thread refused (a replay is not an error: the store answers it). */
export function writerFailureError(failure: Exclude<WriterFailure, { kind: 'replay' }>): Error {
  switch (failure.kind) {
    case 'head-moved':
      return new HeadMovedError(failure.expected, failure.actual);
    case 'wrong-revision':
      return new WrongExpectedRevisionError(failure.stream, failure.expected, failure.actual);
    case 'duplicate-event-id':
      return new DuplicateEventIdError(failure.eventId);
    case 'log-not-empty':
      return new LogNotEmptyError(failure.head);
    case 'chain-mismatch':
      return new ChainMismatchError(failure.position);
    case 'sqlite':
      return Object.assign(new Error(failure.message), { code: failure.code ?? undefined });
  }
}
