import { AppError } from '../common/app-error';

export class WrongExpectedRevisionError extends AppError {
  constructor(stream: string, expected: number | string, actual: number) {
    super('EVENTS.WRONG_EXPECTED_REVISION', `stream ${stream} is at revision ${actual}, expected ${expected}`, 409, {
      stream,
      expected,
      actual,
    });
  }
}

export class InvalidEventError extends AppError {
  constructor(type: string, details: unknown) {
    super('EVENTS.INVALID_EVENT', `event ${type} does not match its schema`, 400, details);
  }
}

export class DuplicateEventIdError extends AppError {
  constructor(eventId: string) {
    super('EVENTS.DUPLICATE_EVENT_ID', `event id ${eventId} is already in the log with other events`, 409, { eventId });
  }
}

export class HeadMovedError extends AppError {
  constructor(expected: number, actual: number) {
    super('EVENTS.HEAD_MOVED', `the log moved on since position ${expected} (now ${actual})`, 409, { expected, actual });
  }
}

export class LogNotEmptyError extends AppError {
  constructor(head: number) {
    super('EVENTS.NOT_EMPTY', `history can only be adopted into an empty log (this one is at position ${head})`, 409, { head });
  }
}

export class IncompleteHistoryError extends AppError {
  constructor(position: number) {
    super('EVENTS.INCOMPLETE_HISTORY', `the history to adopt is not whole (it skips to position ${position})`, 409, { position });
  }
}

export class ChainMismatchError extends AppError {
  constructor(position: number) {
    super('EVENTS.CHAIN_MISMATCH', `the history to adopt does not match its own hash chain from position ${position} on (edited since it was written)`, 422, { position });
  }
}
